import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ChangeKind } from '@internal/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  DeploymentOutcome,
  DeploymentRecord,
  DeploymentStore,
  DeploymentUpdate,
  NewDeployment,
} from './DeploymentStore';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-gitops-backend',
  'migrations',
);

const TABLE = 'gitops_deployments';

interface Row {
  id: string;
  change_id: string;
  kind: string;
  entity_ref: string;
  environment: string;
  pipeline: string;
  instance: string;
  application: string;
  app_namespace: string | null;
  version: string | null;
  from_version: string | null;
  git_commit: string | null;
  history_id: number | string | null;
  synced_revision: string | null;
  outcome: string;
  started_at: Date | string | number;
  finished_at: Date | string | number | null;
  healthy_since: Date | string | number | null;
  replaced_at: Date | string | number | null;
  requested_by: string;
  approvers_json: string;
  override: boolean | number;
  updated_at: Date | string | number;
}

function date(v: Date | string | number): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' || /^\d+$/.test(v)) return new Date(Number(v));
  return new Date(v);
}

function optDate(v: Date | string | number | null): Date | undefined {
  return v === null || v === undefined ? undefined : date(v);
}

function opt<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

function toRecord(r: Row): DeploymentRecord {
  return {
    id: r.id,
    changeId: r.change_id,
    kind: r.kind as ChangeKind,
    entityRef: r.entity_ref,
    environment: r.environment,
    pipeline: r.pipeline,
    instance: r.instance,
    application: r.application,
    appNamespace: opt(r.app_namespace),
    version: opt(r.version),
    fromVersion: opt(r.from_version),
    gitCommit: opt(r.git_commit),
    historyId: r.history_id === null ? undefined : Number(r.history_id),
    syncedRevision: opt(r.synced_revision),
    outcome: r.outcome as DeploymentOutcome,
    startedAt: date(r.started_at),
    finishedAt: optDate(r.finished_at),
    healthySince: optDate(r.healthy_since),
    replacedAt: optDate(r.replaced_at),
    requestedBy: r.requested_by,
    approvers: JSON.parse(r.approvers_json) as string[],
    override: Boolean(r.override),
    updatedAt: date(r.updated_at),
  };
}

/** Unique-constraint violation, by the driver's code (SQLite, PostgreSQL 23505). */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Knex implementation of {@link DeploymentStore} (SQLite and PostgreSQL).
 * The table comes from the plugin's migrations (`migrations/`), which the
 * change store also runs; running them again is a no-op.
 *
 * @internal
 */
export class DatabaseDeploymentStore implements DeploymentStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseDeploymentStore> {
    const client = await options.database.getClient();
    const skip =
      options.skipMigrations ?? options.database.migrations?.skip ?? false;
    if (!skip) await migrate(client);
    return new DatabaseDeploymentStore(client);
  }

  /** For tests that bring their own knex. */
  static async fromKnex(knex: Knex, runMigrations = true) {
    if (runMigrations) await migrate(knex);
    return new DatabaseDeploymentStore(knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async start(input: NewDeployment): Promise<DeploymentRecord> {
    const existing = await this.getByChange(input.changeId);
    if (existing) return existing;
    try {
      await this.#db<Row>(TABLE).insert({
        id: randomUUID(),
        change_id: input.changeId,
        kind: input.kind,
        entity_ref: input.entityRef,
        environment: input.environment,
        pipeline: input.pipeline,
        instance: input.instance,
        application: input.application,
        app_namespace: input.appNamespace ?? null,
        version: input.version ?? null,
        from_version: input.fromVersion ?? null,
        git_commit: input.gitCommit ?? null,
        history_id: null,
        synced_revision: null,
        outcome: 'running',
        started_at: input.startedAt,
        finished_at: null,
        healthy_since: null,
        replaced_at: null,
        requested_by: input.requestedBy,
        approvers_json: JSON.stringify(input.approvers),
        override: input.override,
        updated_at: input.startedAt,
      });
    } catch (e) {
      // Another replica recorded the same change at the same moment.
      if (!isUniqueViolation(e)) throw e;
    }
    return (await this.getByChange(input.changeId))!;
  }

  async update(
    changeId: string,
    patch: DeploymentUpdate,
    now: Date,
  ): Promise<DeploymentRecord | undefined> {
    return this.#db.transaction(async tx => {
      const row = await tx<Row>(TABLE).where({ change_id: changeId }).first();
      if (!row) return undefined;
      const set: Partial<Row> = { updated_at: now };
      if (patch.version !== undefined) set.version = patch.version;
      if (patch.gitCommit !== undefined) set.git_commit = patch.gitCommit;
      if (patch.historyId !== undefined) set.history_id = patch.historyId;
      if (patch.syncedRevision !== undefined)
        set.synced_revision = patch.syncedRevision;
      if (patch.outcome !== undefined) set.outcome = patch.outcome;
      if (patch.finishedAt !== undefined) set.finished_at = patch.finishedAt;
      if (patch.healthySince !== undefined && row.healthy_since === null) {
        set.healthy_since = patch.healthySince;
      }
      await tx<Row>(TABLE).where({ change_id: changeId }).update(set);
      if (
        patch.outcome &&
        patch.outcome !== 'running' &&
        patch.outcome !== 'failed'
      ) {
        // This deployment now runs there: earlier ones were replaced.
        await tx<Row>(TABLE)
          .where({ entity_ref: row.entity_ref, environment: row.environment })
          .whereNot({ change_id: changeId })
          .whereNull('replaced_at')
          .where('started_at', '<=', date(row.started_at))
          .update({ replaced_at: patch.finishedAt ?? now, updated_at: now });
      }
      const updated = await tx<Row>(TABLE)
        .where({ change_id: changeId })
        .first();
      return toRecord(updated!);
    });
  }

  async getByChange(changeId: string): Promise<DeploymentRecord | undefined> {
    const row = await this.#db<Row>(TABLE)
      .where({ change_id: changeId })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listUpdatedSince(
    since: Date,
  ): Promise<Array<{ changeId: string; instance: string; updatedAt: Date }>> {
    const rows = await this.#db<Row>(TABLE)
      .where('updated_at', '>=', since)
      .select('change_id', 'instance', 'updated_at')
      .limit(1000);
    return rows.map(r => ({
      changeId: r.change_id,
      instance: r.instance,
      updatedAt: date(r.updated_at),
    }));
  }

  async list(options: {
    entityRef: string;
    environment: string;
    limit?: number;
  }): Promise<DeploymentRecord[]> {
    const rows = await this.#db<Row>(TABLE)
      .where({
        entity_ref: options.entityRef,
        environment: options.environment,
      })
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit ?? 100);
    return rows.map(toRecord);
  }
}

async function migrate(client: Knex): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      if ((e as Error).name !== 'MigrationLocked' || attempt >= 60) throw e;
      await new Promise(r => setTimeout(r, 500));
    }
  }
}
