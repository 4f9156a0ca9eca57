import { Knex } from 'knex';

const TABLE = 'gitops_health_observations';

/** Health seen for one deployment (an Argo CD history row). @internal */
export interface HealthObservation {
  entityRef: string;
  environment: string;
  instance: string;
  application: string;
  historyId: number;
  revision?: string;
  version?: string;
  deployedAt?: Date;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Start of the Healthy period. */
  healthySince?: Date;
  lastHealthyAt?: Date;
  /** First time it was seen Degraded: it then never counts as "ran healthy". */
  degradedAt?: Date;
}

/** One look at a running deployment. @internal */
export interface HealthSighting {
  entityRef: string;
  environment: string;
  instance: string;
  application: string;
  historyId: number;
  revision?: string;
  version?: string;
  deployedAt?: Date;
  health: string | undefined;
  /** Argo CD's `status.health.lastTransitionTime`, when given. */
  healthTransitionAt?: Date;
  now: Date;
}

interface Row {
  id: number;
  entity_ref: string;
  environment: string;
  instance: string;
  application: string;
  history_id: number | string;
  revision: string | null;
  version: string | null;
  deployed_at: Date | string | number | null;
  first_seen_at: Date | string | number;
  last_seen_at: Date | string | number;
  healthy_since: Date | string | number | null;
  last_healthy_at: Date | string | number | null;
  degraded_at: Date | string | number | null;
}

function date(v: Date | string | number): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' || /^\d+$/.test(v)) return new Date(Number(v));
  return new Date(v);
}
function optDate(v: Date | string | number | null): Date | undefined {
  return v === null || v === undefined ? undefined : date(v);
}

function toObservation(r: Row): HealthObservation {
  return {
    entityRef: r.entity_ref,
    environment: r.environment,
    instance: r.instance,
    application: r.application,
    historyId: Number(r.history_id),
    revision: r.revision ?? undefined,
    version: r.version ?? undefined,
    deployedAt: optDate(r.deployed_at),
    firstSeenAt: date(r.first_seen_at),
    lastSeenAt: date(r.last_seen_at),
    healthySince: optDate(r.healthy_since),
    lastHealthyAt: optDate(r.last_healthy_at),
    degradedAt: optDate(r.degraded_at),
  };
}

/**
 * Start of a Healthy period seen now: Argo CD's last health transition, not
 * before the deployment itself (a sync that kept the app Healthy has an older
 * transition) and not after now. Pure.
 *
 * @internal
 */
export function healthyStart(
  s: Pick<HealthSighting, 'now' | 'deployedAt' | 'healthTransitionAt'>,
): Date {
  const now = s.now.getTime();
  let t = s.healthTransitionAt?.getTime() ?? now;
  if (Number.isNaN(t) || t > now) t = now;
  const deployed = s.deployedAt?.getTime();
  if (deployed !== undefined && !Number.isNaN(deployed) && t < deployed) {
    t = deployed;
  }
  return new Date(t);
}

/**
 * Knex store of {@link HealthObservation}s (table from the plugin's
 * migrations). Writes are upserts on `(instance, application, history_id)`.
 *
 * @internal
 */
export class HealthObservationStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  /** Records one sighting; returns the observation after it. */
  async observe(s: HealthSighting): Promise<HealthObservation> {
    const key = {
      instance: s.instance,
      application: s.application,
      history_id: s.historyId,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#db.transaction(async tx => {
          const row = await tx<Row>(TABLE).where(key).first();
          const healthy = s.health === 'Healthy';
          const degraded = s.health === 'Degraded';
          if (!row) {
            await tx<Row>(TABLE).insert({
              ...key,
              entity_ref: s.entityRef,
              environment: s.environment,
              revision: s.revision ?? null,
              version: s.version ?? null,
              deployed_at: s.deployedAt ?? null,
              first_seen_at: s.now,
              last_seen_at: s.now,
              healthy_since: healthy ? healthyStart(s) : null,
              last_healthy_at: healthy ? s.now : null,
              degraded_at: degraded ? s.now : null,
            });
          } else {
            const set: Partial<Row> = { last_seen_at: s.now };
            if (healthy) {
              set.last_healthy_at = s.now;
              if (row.healthy_since === null)
                set.healthy_since = healthyStart(s);
            }
            if (degraded && row.degraded_at === null) set.degraded_at = s.now;
            if (row.version === null && s.version) set.version = s.version;
            await tx<Row>(TABLE).where(key).update(set);
          }
          return toObservation((await tx<Row>(TABLE).where(key).first())!);
        });
      } catch (e) {
        // two replicas inserting the same row: the second one updates
        const msg = String((e as Error)?.message ?? e);
        if (attempt < 2 && /UNIQUE|duplicate key/i.test(msg)) continue;
        throw e;
      }
    }
  }

  async list(options: {
    entityRef: string;
    environment: string;
  }): Promise<HealthObservation[]> {
    const rows = await this.#db<Row>(TABLE)
      .where({
        entity_ref: options.entityRef,
        environment: options.environment,
      })
      .orderBy('history_id', 'desc')
      .limit(200);
    return rows.map(toObservation);
  }
}
