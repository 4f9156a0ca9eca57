import { LoggerService } from '@backstage/backend-plugin-api';
import { VersionIdentity } from '@internal/plugin-gitops-common';
import { ArgoRevisionHistory } from '../argocd/types';
import {
  DeploymentRecord,
  DeploymentStore,
  DeploymentUpdate,
  NewDeployment,
} from './DeploymentStore';
import {
  VersionContext,
  VersionEvidenceReader,
  liveRevision,
} from './versionEvidence';
import { tagsForApp } from './versionIdentity';
import {
  HealthObservation,
  HealthObservationStore,
} from './HealthObservationStore';

/** How far back (by the writers' clocks) deployment updates are looked for. */
const FRESHNESS_LOOKBACK_MS = 10 * 60_000;

/** How often one deployment's unchanged health is written again. */
const OBSERVE_EVERY_MS = 30_000;

/** A history row joined with our record and its version. @internal */
export interface JoinedHistoryRow {
  row: ArgoRevisionHistory;
  record?: DeploymentRecord;
  /** Health seen for this deployment (whoever made it). */
  observation?: HealthObservation;
  identity: VersionIdentity;
  /** Requester of our change, else Argo CD's initiator (`automated` for auto-sync). */
  deployedBy?: string;
}

/**
 * Pairs Argo CD history rows with our records: by history id first, else by
 * the synced revision (or the commit we wrote) of a deployment that started
 * before the row was deployed. Each record pairs with one row at most. Pure.
 *
 * @internal
 */
export function matchRecords(
  rows: ArgoRevisionHistory[],
  records: DeploymentRecord[],
  app: { instance: string; name: string },
): Array<DeploymentRecord | undefined> {
  const mine = records.filter(
    r => r.instance === app.instance && r.application === app.name,
  );
  const used = new Set<string>();
  const out: Array<DeploymentRecord | undefined> = rows.map(() => undefined);
  rows.forEach((h, i) => {
    const r = mine.find(
      x => x.historyId !== undefined && String(x.historyId) === String(h.id),
    );
    if (r) {
      out[i] = r;
      used.add(r.id);
    }
  });
  rows.forEach((h, i) => {
    if (out[i]) return;
    const revs = [h.revision, ...(h.revisions ?? [])].filter(Boolean);
    const deployed = h.deployedAt ? Date.parse(h.deployedAt) : undefined;
    const candidates = mine
      .filter(x => !used.has(x.id) && x.historyId === undefined)
      .filter(
        x =>
          revs.includes(x.syncedRevision) ||
          (x.gitCommit !== undefined && revs.includes(x.gitCommit)),
      )
      .filter(
        x => deployed === undefined || x.startedAt.getTime() <= deployed + 1000,
      )
      // the latest deployment that started before the row
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    if (candidates[0]) {
      out[i] = candidates[0];
      used.add(candidates[0].id);
    }
  });
  return out;
}

function initiator(h: ArgoRevisionHistory): string | undefined {
  if (h.initiatedBy?.automated) return 'automated';
  return h.initiatedBy?.username || undefined;
}

/**
 * The deployment record as a service: records our deployments (start,
 * finish, healthy since) and joins the record to Argo CD's history. For
 * deployments made by others (image updater, a manual sync) the version is
 * read from the GitOps repository at the synced revision for that app's own
 * values file, never inferred from another app's tag.
 *
 * @internal
 */
export class DeploymentService {
  readonly #store: DeploymentStore;
  readonly #evidence: VersionEvidenceReader;
  readonly #now: () => Date;
  readonly #logger?: LoggerService;
  readonly #observations?: HealthObservationStore;
  readonly #lastObserved = new Map<string, number>();
  /** Last `updated_at` seen per change, for {@link DeploymentService.changedInstances}. */
  readonly #seenUpdates = new Map<string, number>();

  constructor(options: {
    store: DeploymentStore;
    evidence: VersionEvidenceReader;
    observations?: HealthObservationStore;
    now?: () => Date;
    logger?: LoggerService;
  }) {
    this.#observations = options.observations;
    this.#store = options.store;
    this.#evidence = options.evidence;
    this.#now = options.now ?? (() => new Date());
    this.#logger = options.logger;
  }

  get evidence(): VersionEvidenceReader {
    return this.#evidence;
  }

  /** Records that a change starts deploying (idempotent per change). */
  recordStarted(input: NewDeployment): Promise<DeploymentRecord> {
    return this.#store.start(input);
  }

  /** Updates a change's deployment (finish, history id, healthy since…). */
  recordProgress(
    changeId: string,
    patch: DeploymentUpdate,
  ): Promise<DeploymentRecord | undefined> {
    return this.#store.update(changeId, patch, this.#now());
  }

  getByChange(changeId: string): Promise<DeploymentRecord | undefined> {
    return this.#store.getByChange(changeId);
  }

  /** Our deployments of an entity environment, newest first. */
  list(entityRef: string, environment: string): Promise<DeploymentRecord[]> {
    return this.#store.list({ entityRef, environment });
  }

  /**
   * Argo CD instances with a deployment recorded or updated (by any replica)
   * since this replica last asked: their cached reads must be dropped, so a
   * read or a policy check made after a change reported `succeeded` sees the
   * new state everywhere. One small query per call; the executor updates
   * the record before it marks the change succeeded.
   */
  async changedInstances(): Promise<string[]> {
    const since = new Date(this.#now().getTime() - FRESHNESS_LOOKBACK_MS);
    const rows = await this.#store.listUpdatedSince(since);
    const changed = new Set<string>();
    for (const r of rows) {
      const t = r.updatedAt.getTime();
      if (this.#seenUpdates.get(r.changeId) !== t) {
        changed.add(r.instance);
        this.#seenUpdates.set(r.changeId, t);
      }
    }
    if (this.#seenUpdates.size > 5_000) {
      // forget what left the look-back window
      const keep = new Set(rows.map(r => r.changeId));
      for (const k of this.#seenUpdates.keys()) {
        if (!keep.has(k)) this.#seenUpdates.delete(k);
      }
    }
    return [...changed];
  }

  /** Version identity of what an application runs now. */
  async liveVersion(ctx: VersionContext): Promise<VersionIdentity> {
    return this.#evidence.identify(ctx, liveRevision(ctx.app), {
      images: ctx.app.status?.summary?.images ?? [],
    });
  }

  /**
   * Notes the health of what an environment runs now (its newest history
   * row), so that "ran healthy for the soak time" can be decided after the
   * deployment is replaced. Unchanged health is written at most every 30 s
   * per replica; failures are logged, never thrown (reads go on).
   */
  async observe(
    ctx: VersionContext & { entityRef: string; instance: string },
    version?: string,
  ): Promise<void> {
    if (!this.#observations) return;
    const app = ctx.app;
    let last: ArgoRevisionHistory | undefined;
    for (const h of app.status?.history ?? []) {
      if (!last || Number(h.id) > Number(last.id)) last = h;
    }
    if (!last) return;
    // A sync in progress or pending: the health is not yet the new row's.
    const op = app.status?.operationState?.phase;
    if (app.operation || op === 'Running' || op === 'Terminating') return;
    const health = app.status?.health?.status;
    const key = `${ctx.instance}|${app.metadata.name}|${last.id}|${health}`;
    const now = this.#now();
    const seen = this.#lastObserved.get(key);
    if (seen !== undefined && now.getTime() - seen < OBSERVE_EVERY_MS) return;
    try {
      const transition = app.status?.health?.lastTransitionTime;
      await this.#observations.observe({
        entityRef: ctx.entityRef,
        environment: ctx.environment.name,
        instance: ctx.instance,
        application: app.metadata.name,
        historyId: Number(last.id),
        revision: last.revision ?? last.revisions?.[0],
        version,
        deployedAt: last.deployedAt ? new Date(last.deployedAt) : undefined,
        health,
        healthTransitionAt: transition ? new Date(transition) : undefined,
        now,
      });
      if (this.#lastObserved.size > 10_000) this.#lastObserved.clear();
      this.#lastObserved.set(key, now.getTime());
    } catch (e) {
      this.#logger?.warn(
        `health of ${app.metadata.name} could not be recorded: ${
          (e as Error).message
        }`,
      );
    }
  }

  /**
   * Joins Argo CD history rows (newest first) with our record: every row gets
   * a version identity and who deployed it.
   */
  async joinHistory(
    ctx: VersionContext & { entityRef: string; instance: string },
    rows: ArgoRevisionHistory[],
    tagsOfRow: Array<string[] | undefined> = [],
  ): Promise<JoinedHistoryRow[]> {
    let records: DeploymentRecord[] = [];
    let observations: HealthObservation[] = [];
    try {
      [records, observations] = await Promise.all([
        this.#store.list({
          entityRef: ctx.entityRef,
          environment: ctx.environment.name,
        }),
        this.#observations?.list({
          entityRef: ctx.entityRef,
          environment: ctx.environment.name,
        }) ?? [],
      ]);
    } catch (e) {
      this.#logger?.warn(
        `deployment record of ${ctx.entityRef}/${
          ctx.environment.name
        } could not be read: ${(e as Error).message}`,
      );
    }
    const matched = matchRecords(rows, records, {
      instance: ctx.instance,
      name: ctx.app.metadata.name,
    });
    const names = [ctx.app.metadata.name, ctx.baseApp];
    return Promise.all(
      rows.map(async (row, i) => {
        const record = matched[i];
        const identity = await this.#evidence.identify(ctx, row, {
          recorded: record?.version,
          tags: tagsForApp(tagsOfRow[i], names),
        });
        const observation = observations.find(
          o =>
            o.instance === ctx.instance &&
            o.application === ctx.app.metadata.name &&
            String(o.historyId) === String(row.id),
        );
        return {
          row,
          record,
          ...(observation ? { observation } : {}),
          identity,
          deployedBy: record?.requestedBy ?? initiator(row),
        };
      }),
    );
  }
}
