import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { NewChangeEvent, StoredChange } from './ChangeStore';
import {
  RawApprovalRow,
  RawChangeRow,
  rowToApproval,
  rowToChange,
  toDate,
} from './rows';

/**
 * The change tables and the reads and writes every part of the store
 * shares: one change with its approvals, one event row, the migrations.
 */

export const migrationsDir = resolvePackagePath(
  '@internal/plugin-gitops-backend',
  'migrations',
);

export const REQUESTS = 'gitops_change_requests';
export const APPROVALS = 'gitops_change_approvals';
export const EVENTS = 'gitops_change_events';

/**
 * Unique-constraint violation on SQLite or PostgreSQL, by the driver's error
 * code (better-sqlite3 `SQLITE_CONSTRAINT_UNIQUE`, PostgreSQL SQLSTATE
 * `23505` unique_violation).
 */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs the migrations; when another replica holds knex's migration lock (two
 * backends starting at once), waits for it instead of failing startup.
 */
export async function migrateWhenUnlocked(client: Knex): Promise<void> {
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

/** One change with its approvals, read through `db` (a transaction or the pool). */
export async function readChange(
  db: Knex,
  id: string,
): Promise<StoredChange | undefined> {
  const row: RawChangeRow | undefined = await db(REQUESTS)
    .where('id', id)
    .first();
  return row ? (await withApprovals(db, [row]))[0] : undefined;
}

export async function withApprovals(db: Knex, rows: RawChangeRow[]) {
  if (!rows.length) return [];
  const approvals: RawApprovalRow[] = await db(APPROVALS)
    .whereIn(
      'change_id',
      rows.map(r => r.id),
    )
    .orderBy('id', 'asc');
  return rows.map(r =>
    rowToChange(
      r,
      approvals.filter(a => a.change_id === r.id).map(rowToApproval),
    ),
  );
}

export async function insertEvent(
  db: Knex,
  changeId: string,
  change: {
    entityRef: string;
    environment: string;
    fromVersion?: string;
    version?: string;
  },
  event: NewChangeEvent,
): Promise<number> {
  const [inserted] = await db(EVENTS)
    .insert({
      change_id: changeId,
      type: event.type,
      actor: event.actor ?? null,
      at: toDate(event.at ?? new Date()),
      entity_ref: change.entityRef,
      environment: change.environment,
      from_version: event.fromVersion ?? change.fromVersion ?? null,
      to_version: event.toVersion ?? change.version ?? null,
      reason: event.reason ?? null,
      outcome: event.outcome ?? null,
      message: event.message ?? null,
      data_json: event.data ? JSON.stringify(event.data) : null,
    })
    .returning('id');
  return typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
}
