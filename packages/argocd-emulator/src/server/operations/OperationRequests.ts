/**
 * The API server side of operations: POST /sync, POST /rollback and
 * DELETE /operation validate the request as Argo CD does and hand the
 * operation to the {@link OperationRunner}.
 */
import type { GitopsRepo } from '../../git/GitopsRepo';
import { UnresolvableRevisionError } from '../../git/GitopsRepo';
import { ArgoError, argoErrors, GrpcCode } from '../../logic/errors';
import { findHistory } from '../../logic/history';
import type { Application, Operation } from '../../logic/types';
import { clone } from '../live/liveViews';
import type { ProjectStore } from '../projects/ProjectStore';
import { appSources, isMultiSource } from '../render/sources';
import type { AppStore } from '../state/AppStore';
import {
  autoSyncEnabled,
  RollbackRequest,
  Scope,
  SyncRequest,
} from '../state/types';
import type { AppViews } from '../views/AppViews';
import type { OperationRunner } from './OperationRunner';

/** @public */
export class OperationRequests {
  readonly #store: AppStore;
  readonly #runner: OperationRunner;
  readonly #projects: ProjectStore;
  readonly #repo: GitopsRepo;
  readonly #views: AppViews;

  constructor(opts: {
    store: AppStore;
    runner: OperationRunner;
    projects: ProjectStore;
    repo: GitopsRepo;
    views: AppViews;
  }) {
    this.#store = opts.store;
    this.#runner = opts.runner;
    this.#projects = opts.projects;
    this.#repo = opts.repo;
    this.#views = opts.views;
  }

  async sync(
    name: string,
    req: SyncRequest,
    username: string,
  ): Promise<Application> {
    const st = this.#store.lookup(name, {
      appNamespace: req.appNamespace,
      project: req.project,
    });
    const app = st.app;
    // 1. sync windows, as a manual sync, before dryRun is looked at
    let allowed: boolean;
    try {
      allowed = this.#projects.canSyncNow(app, true);
    } catch (e) {
      throw argoErrors.invalidWindow((e as Error).message);
    }
    if (!allowed) throw argoErrors.blockedByWindow();
    if (req.manifests?.length) {
      if (autoSyncEnabled(app) && !req.dryRun) {
        throw new ArgoError(
          GrpcCode.FailedPrecondition,
          'cannot use local sync when Automatic Sync Policy is enabled except with dry-run',
        );
      }
      throw new ArgoError(
        GrpcCode.Unimplemented,
        'local manifest sync is not supported by the emulator',
      );
    }
    if (app.metadata.deletionTimestamp) throw argoErrors.deleting();
    const revisions = await this.#resolve(app, req);
    const multi = isMultiSource(app);
    if (app.operation) throw argoErrors.operationInProgress();
    const strategy = normalizeStrategy(req.strategy);
    const op: Operation = {
      sync: {
        ...(multi
          ? { revisions, sources: clone(app.spec.sources) }
          : { revision: revisions[0] }),
        ...(req.prune ? { prune: true } : {}),
        ...(req.dryRun ? { dryRun: true } : {}),
        ...(strategy ? { syncStrategy: strategy } : {}),
        ...(req.resources?.length ? { resources: clone(req.resources) } : {}),
        ...syncOptionsOf(
          req.syncOptions
            ? req.syncOptions.items ?? []
            : app.spec.syncPolicy?.syncOptions,
        ),
      },
      initiatedBy: { username },
      ...(req.infos?.length ? { info: clone(req.infos) } : {}),
      ...retryOf(req.retryStrategy ?? app.spec.syncPolicy?.retry),
    };
    this.#runner.start(st, op);
    const response = this.#views.view(name);
    this.#runner.begin(st);
    return response;
  }

  /**
   * The revision of each source to sync to (Argo CD's resolveSourceRevisions):
   * `revision` for a single-source app; `revisions` + `sourcePositions`
   * (1-based) for a multi-source app, the other sources at their targetRevision.
   */
  async #resolve(app: Application, req: SyncRequest): Promise<string[]> {
    const sources = appSources(app);
    if (!sources.length)
      throw argoErrors.invalidArgument('application has no source');
    const desired: (string | undefined)[] = sources.map(() => undefined);
    if (isMultiSource(app)) {
      (req.sourcePositions ?? []).forEach((pos, i) => {
        const n = Number(pos);
        if (!(n > 0 && n <= sources.length))
          throw argoErrors.invalidArgument('source position is out of range');
        desired[n - 1] = req.revisions?.[i];
      });
    } else desired[0] = req.revision;
    const out: string[] = [];
    for (let i = 0; i < sources.length; i++) {
      const targetRevision = sources[i].targetRevision ?? '';
      const rev = desired[i];
      if (
        rev &&
        rev !== (targetRevision || 'HEAD') &&
        rev !== targetRevision &&
        autoSyncEnabled(app) &&
        !req.dryRun
      ) {
        throw isMultiSource(app)
          ? new ArgoError(
              GrpcCode.FailedPrecondition,
              `Cannot sync source ${sources[i].repoURL} to ${rev}: auto-sync currently set to ${targetRevision}`,
            )
          : argoErrors.autoSyncRevision(rev, targetRevision || 'HEAD');
      }
      try {
        out.push(await this.#repo.resolve(rev || targetRevision));
      } catch (e) {
        if (e instanceof UnresolvableRevisionError)
          throw argoErrors.unresolvableRevision(e.revision);
        throw e;
      }
    }
    return out;
  }

  async rollback(
    name: string,
    req: RollbackRequest,
    username: string,
  ): Promise<Application> {
    const st = this.#store.lookup(name, {
      appNamespace: req.appNamespace,
      project: req.project,
    });
    const app = st.app;
    if (app.metadata.deletionTimestamp) throw argoErrors.deleting();
    if (autoSyncEnabled(app)) throw argoErrors.rollbackAutoSync();
    const h = findHistory(st.history, req.id ?? 0);
    if (!h)
      throw argoErrors.rollbackUnknownId(
        app.metadata.namespace ?? this.#store.namespace,
        name,
        req.id ?? 0,
      );
    if (!h.source && !h.sources?.length) throw argoErrors.rollbackNoSource();
    if (app.operation) throw argoErrors.operationInProgress();
    const op: Operation = {
      sync: {
        ...(h.sources?.length
          ? { revisions: clone(h.revisions), sources: clone(h.sources) }
          : { revision: h.revision, source: clone(h.source) }),
        ...(req.dryRun ? { dryRun: true } : {}),
        ...(req.prune ? { prune: true } : {}),
        ...(app.spec.syncPolicy?.syncOptions
          ? { syncOptions: clone(app.spec.syncPolicy.syncOptions) }
          : {}),
        syncStrategy: { apply: {} },
      },
      initiatedBy: { username },
      ...(app.spec.syncPolicy?.retry
        ? { retry: clone(app.spec.syncPolicy.retry) }
        : {}),
    };
    this.#runner.start(st, op);
    const response = this.#views.view(name);
    this.#runner.begin(st);
    return response;
  }

  terminate(name: string, scope: Scope): void {
    const st = this.#store.lookup(name, scope);
    const os = st.operationState;
    if (
      !st.app.operation ||
      !os ||
      (os.phase !== 'Running' && os.phase !== 'Terminating')
    ) {
      throw argoErrors.nothingToTerminate();
    }
    if (st.opTimer) {
      clearTimeout(st.opTimer);
      st.opTimer = undefined;
    }
    os.phase = 'Terminating';
    this.#store.touch(st);
    const t = setTimeout(() => {
      if (this.#store.stopped) return;
      this.#runner.finish(st, 'Failed', 'Operation terminated');
    }, Math.min(50, this.#runner.operationDurationMs));
    t.unref?.();
  }
}

function syncOptionsOf(items: string[] | undefined): {
  syncOptions?: string[];
} {
  return items ? { syncOptions: clone(items) } : {};
}

function retryOf(retry: Record<string, unknown> | undefined): {
  retry?: Record<string, unknown>;
} {
  return retry ? { retry: clone(retry) } : {};
}

/** The wire quirk: accept `hook.syncStrategyApply.force` as `hook.force`. */
export function normalizeStrategy(s: any): any {
  if (!s || typeof s !== 'object') return undefined;
  const out: any = {};
  if (s.apply)
    out.apply = {
      ...(s.apply.force !== undefined ? { force: !!s.apply.force } : {}),
    };
  if (s.hook) {
    const force = s.hook.force ?? s.hook.syncStrategyApply?.force;
    out.hook = { ...(force !== undefined ? { force: !!force } : {}) };
  }
  return Object.keys(out).length ? out : undefined;
}
