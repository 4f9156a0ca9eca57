/**
 * The controller side of an operation: picks it up (Running), waits while a
 * sync window blocks it, completes it after the configured time (apply, prune,
 * history) or finishes it as Failed/Error/terminated.
 */
import type { GitopsRepo } from '../../git/GitopsRepo';
import { UnresolvableRevisionError } from '../../git/GitopsRepo';
import { appendHistory, shouldRecordHistory } from '../../logic/history';
import { planSync } from '../../logic/syncPlan';
import type {
  ApplicationSource,
  KubeObject,
  Operation,
  OperationState,
} from '../../logic/types';
import type { LiveCluster } from '../live/LiveCluster';
import { clone } from '../live/liveViews';
import type { ProjectStore } from '../projects/ProjectStore';
import type { Comparer } from '../reconcile/Comparer';
import type { Renderer } from '../render/Renderer';
import { isMultiSource, resolveSources } from '../render/sources';
import type { AppStore } from '../state/AppStore';
import { AppState, Clock, iso } from '../state/types';
import { failingHook, runPostSyncHooks } from '../troubleshooting/hooks';

const BLOCKED = 'Sync operation blocked by sync window';

/** Collaborators of the {@link OperationRunner}. */
export interface OperationRunnerOptions {
  store: AppStore;
  repo: GitopsRepo;
  renderer: Renderer;
  live: LiveCluster;
  comparer: Comparer;
  projects: ProjectStore;
  clock: Clock;
  operationDurationMs: number;
  slowOperationsMs: () => number;
  isSyncFailTag: (tag: string) => boolean;
}

/** @public */
export class OperationRunner {
  readonly #o: OperationRunnerOptions;

  constructor(opts: OperationRunnerOptions) {
    this.#o = opts;
  }

  get operationDurationMs(): number {
    return this.#o.operationDurationMs;
  }

  /** Sets `app.operation` (what the API server does). */
  start(st: AppState, op: Operation): void {
    st.app.operation = clone(op);
    st.operationState = undefined;
    if (!op.initiatedBy?.automated) st.specChangedAt = iso(this.#o.clock.now()); // argocd-server wrote `operation`
    this.#o.store.touch(st);
  }

  /** Controller picks the operation up: Running, window check, then completion after the configured time. */
  begin(st: AppState): void {
    const op = st.app.operation;
    if (!op) return;
    st.operationState = {
      operation: clone(op),
      phase: 'Running',
      message: '',
      startedAt: iso(this.#o.clock.now()),
    };
    this.#o.store.touch(st);
    this.run(st);
  }

  run(st: AppState): void {
    const os = st.operationState;
    if (!os || os.phase !== 'Running' || st.opTimer) return;
    const allowed = this.#o.projects.allowsSyncNow(
      st.app,
      !os.operation.initiatedBy?.automated,
    );
    if (!allowed) {
      if (os.message !== BLOCKED) {
        os.message = BLOCKED;
        this.#o.store.touch(st);
      }
      return;
    }
    if (os.message === BLOCKED) {
      os.message = '';
      this.#o.store.touch(st);
    }
    const delay = this.#o.operationDurationMs + this.#o.slowOperationsMs();
    // opTimer stays set until the completion has finished, so a reconcile pass
    // cannot schedule a second completion of the same operation meanwhile.
    const timer: NodeJS.Timeout = setTimeout(() => {
      if (this.#o.store.stopped) return;
      this.#complete(st)
        .catch(e => this.finish(st, 'Error', (e as Error).message))
        .finally(() => {
          if (st.opTimer === timer) st.opTimer = undefined;
        });
    }, delay);
    timer.unref?.();
    st.opTimer = timer;
  }

  finish(
    st: AppState,
    phase: OperationState['phase'],
    message: string,
    syncResult?: OperationState['syncResult'],
  ): void {
    const os = st.operationState;
    if (!os) return;
    st.opTimer = undefined; // the operation is over; a new one may schedule its completion
    os.phase = phase;
    os.message = message;
    os.finishedAt = iso(this.#o.clock.now());
    if (syncResult) os.syncResult = syncResult;
    delete st.app.operation;
    if (os.operation.initiatedBy?.automated && st.lastAutoSync)
      st.lastAutoSync.phase = phase;
    this.#o.store.touch(st);
  }

  async #complete(st: AppState): Promise<void> {
    const { repo, renderer, live, store, clock } = this.#o;
    const os = st.operationState!;
    if (os.phase !== 'Running') return;
    const sync = os.operation.sync ?? {};
    const dry = !!sync.dryRun;
    const multi = isMultiSource(st.app);
    const sources: ApplicationSource[] = clone(
      multi
        ? sync.sources ?? st.app.spec.sources!
        : [sync.source ?? st.app.spec.source!],
    );
    const source = sources[0];
    let shas: string[];
    let target: KubeObject[];
    try {
      if (!multi)
        shas = [await repo.resolve(sync.revision ?? source.targetRevision)];
      else if (sync.revisions?.length === sources.length)
        shas = await Promise.all(sync.revisions.map(r => repo.resolve(r)));
      else shas = await resolveSources(repo, sources);
      target = multi
        ? await renderer.renderSources(shas, sources, st.app)
        : await renderer.render(shas[0], source, st.app);
    } catch (e) {
      const msg =
        e instanceof UnresolvableRevisionError
          ? `ComparisonError: rpc error: code = Unknown desc = unable to resolve '${e.revision}' to a commit SHA`
          : `ComparisonError: Failed to load target state: failed to generate manifest for source 1 of ${
              sources.length
            }: ${(e as Error).message}`;
      this.finish(st, 'Error', msg);
      return;
    }
    const sha = shas[0];
    // Argo CD records `revisions` + `sources` for multi-source apps, `revision` + `source` otherwise
    const revisionFields = multi
      ? { revisions: shas, sources }
      : { revision: sha, source };
    if (os.phase !== 'Running') return; // terminated meanwhile
    const hook = failingHook(st.app.metadata.name, target, dry);
    if (hook) {
      this.finish(st, 'Failed', hook.message, {
        resources: hook.results,
        ...revisionFields,
      });
      return;
    }
    const { selected, results, toPrune, failing, partial } = planSync({
      target,
      live: [...st.live.values()],
      sync,
      isSyncFailTag: this.#o.isSyncFailTag,
    });
    const syncResult = { resources: results, ...revisionFields };
    if (failing) {
      this.finish(
        st,
        'Failed',
        `one or more objects failed to apply${dry ? ' (dry run)' : ''}`,
        syncResult,
      );
      return;
    }
    if (!dry) {
      live.apply(st, selected, sha, source, clock.now());
      if (sync.prune && !partial) live.prune(st, toPrune);
    }
    // PostSync hooks run after the Sync phase of a full sync (not a dry run or a selective sync)
    if (!dry && !partial && !multi) {
      const post = runPostSyncHooks(
        await renderer.renderHooks(sha, source, st.app),
        target,
      );
      syncResult.resources.push(...post.results);
      if (post.failed) {
        this.finish(st, 'Failed', post.failed, syncResult);
        await this.#o.comparer.reconcile(st.app.metadata.name);
        return;
      }
    }
    const finishedAt = iso(clock.now());
    this.finish(
      st,
      'Succeeded',
      'successfully synced (all tasks run)',
      syncResult,
    );
    if (
      shouldRecordHistory({
        dryRun: dry,
        resources: sync.resources,
        phase: 'Succeeded',
      })
    ) {
      st.history = appendHistory(
        st.history,
        {
          ...clone(revisionFields),
          deployStartedAt: os.startedAt,
          deployedAt: finishedAt,
          initiatedBy: clone(os.operation.initiatedBy ?? {}),
        },
        st.app.spec.revisionHistoryLimit,
      );
      store.touch(st);
    }
    await this.#o.comparer.reconcile(st.app.metadata.name);
  }
}
