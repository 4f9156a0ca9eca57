import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';

const TABLE = 'gitops_notification_outbox';
const migrationsDir = resolvePackagePath(
  '@internal/plugin-gitops-backend',
  'migrations',
);

/** One notification for one recipient. @internal */
export interface OutboxEntry {
  dedupKey: string;
  changeId: string;
  recipient: string;
  payload: NotificationPayload;
}

/** A row claimed for delivery. @internal */
export interface ClaimedEntry extends OutboxEntry {
  id: number;
  attempts: number;
  /** Token of this claim; `markSent` / `markFailed` need it. */
  claim: string;
}

interface Row {
  id: number | string;
  dedup_key: string;
  change_id: string;
  recipient: string;
  payload_json: string;
  attempts: number;
}

/**
 * Durable outbox of notifications (SQLite and PostgreSQL). `enqueue` inserts
 * one row per transition and recipient and ignores keys already present;
 * `claim` hands each unsent row to exactly one replica at a time (a
 * conditional update on the claim columns); `markSent` / `markFailed` end the
 * attempt. A crashed replica's claim runs out and another retries.
 *
 * @internal
 */
export class NotificationOutbox {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<NotificationOutbox> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.migrate.latest({ directory: migrationsDir });
          break;
        } catch (e) {
          if ((e as Error).name !== 'MigrationLocked' || attempt >= 60) throw e;
          await new Promise(r => setTimeout(r, 500));
        }
      }
    }
    return new NotificationOutbox(client);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Inserts the entries whose key is new; returns the keys of all given entries. */
  async enqueue(entries: OutboxEntry[], now: Date): Promise<string[]> {
    if (!entries.length) return [];
    await this.#db(TABLE)
      .insert(
        entries.map(e => ({
          dedup_key: e.dedupKey,
          change_id: e.changeId,
          recipient: e.recipient,
          payload_json: JSON.stringify(e.payload),
          created_at: now,
          next_attempt_at: now,
          attempts: 0,
        })),
      )
      .onConflict('dedup_key')
      .ignore();
    return entries.map(e => e.dedupKey);
  }

  /**
   * Claims unsent, due rows (all due rows, or those with these keys) for
   * `owner` until `now + leaseMs`. Each row goes to one claimant only.
   */
  async claim(options: {
    owner: string;
    now: Date;
    leaseMs: number;
    keys?: string[];
    limit?: number;
  }): Promise<ClaimedEntry[]> {
    const { owner, now, leaseMs, keys } = options;
    if (keys && !keys.length) return [];
    const until = new Date(now.getTime() + leaseMs);
    const claim = `${owner}:${randomUUID()}`;
    const due = (q: Knex.QueryBuilder) => {
      q.whereNull('sent_at')
        .whereNull('gave_up_at')
        .where('next_attempt_at', '<=', now)
        .where(w =>
          w.whereNull('claimed_until').orWhere('claimed_until', '<', now),
        );
      if (keys) q.whereIn('dedup_key', keys);
      return q;
    };
    const candidates: Array<{ id: number | string }> = await due(
      this.#db(TABLE).select('id'),
    )
      .orderBy('id')
      .limit(options.limit ?? 100);
    if (!candidates.length) return [];
    const ids = candidates.map(c => c.id);
    // Conditional update: a row another replica claimed meanwhile is skipped.
    await due(this.#db(TABLE).whereIn('id', ids)).update({
      claimed_by: claim,
      claimed_until: until,
    });
    const rows: Row[] = await this.#db(TABLE)
      .whereIn('id', ids)
      .where({ claimed_by: claim })
      .whereNull('sent_at')
      .orderBy('id');
    return rows.map(r => ({
      id: Number(r.id),
      dedupKey: r.dedup_key,
      changeId: r.change_id,
      recipient: r.recipient,
      payload: JSON.parse(r.payload_json),
      attempts: r.attempts,
      claim,
    }));
  }

  async markSent(id: number, claim: string, now: Date): Promise<void> {
    await this.#db(TABLE)
      .where({ id, claimed_by: claim })
      .update({
        sent_at: now,
        claimed_by: null,
        claimed_until: null,
        attempts: this.#db.raw('attempts + 1'),
      });
  }

  /** Releases the claim; retries after `retryAt`, or gives up. */
  async markFailed(
    id: number,
    claim: string,
    error: string,
    retryAt: Date | undefined,
    now: Date,
  ): Promise<void> {
    await this.#db(TABLE)
      .where({ id, claimed_by: claim })
      .update({
        claimed_by: null,
        claimed_until: null,
        attempts: this.#db.raw('attempts + 1'),
        last_error: error.slice(0, 2000),
        ...(retryAt ? { next_attempt_at: retryAt } : { gave_up_at: now }),
      });
  }

  /** Rows of a change (tests and diagnostics). */
  async listForChange(changeId: string) {
    const rows: Array<Row & { sent_at: unknown }> = await this.#db(TABLE)
      .where({ change_id: changeId })
      .orderBy('id');
    return rows.map(r => ({
      dedupKey: r.dedup_key,
      recipient: r.recipient,
      sent: r.sent_at !== null && r.sent_at !== undefined,
      attempts: r.attempts,
    }));
  }
}
