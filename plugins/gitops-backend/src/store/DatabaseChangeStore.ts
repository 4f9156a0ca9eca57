import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { ChangeEvent } from '@internal/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  ChangeFilter,
  ChangeStore,
  ClaimInput,
  DecisionOutcome,
  NewChange,
  NewChangeEvent,
  StoredApproval,
  StoredChange,
  TransitionInput,
} from './ChangeStore';
import {
  RawChangeRow,
  RawEventRow,
  rowToEvent,
  appSlotOf,
  isOpen,
  newChangeRow,
  slotOf,
} from './rows';
import { OpenChangeSummary, listOpenChanges } from './openChanges';
import {
  claimForExecution,
  releaseLease,
  renewLease,
  setExecutionStep,
} from './executionLeases';
import {
  APPROVALS,
  EVENTS,
  REQUESTS,
  insertEvent,
  isUniqueViolation,
  migrateWhenUnlocked,
  migrationsDir,
  readChange,
  withApprovals,
} from './tables';

/**
 * Knex implementation of {@link ChangeStore} (SQLite and PostgreSQL).
 *
 * @internal
 */
export class DatabaseChangeStore implements ChangeStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseChangeStore> {
    const { database } = options;
    const client = await database.getClient();
    const skip = options.skipMigrations ?? database.migrations?.skip ?? false;
    if (!skip) {
      await migrateWhenUnlocked(client);
    }
    return new DatabaseChangeStore(client);
  }

  /** For tests that bring their own knex. */
  static async fromKnex(knex: Knex, migrate = true) {
    if (migrate) {
      await knex.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseChangeStore(knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async createChange(
    input: NewChange,
    event: NewChangeEvent,
  ): Promise<StoredChange> {
    const id = randomUUID();
    const row = newChangeRow(id, input);
    try {
      await this.#db.transaction(async tx => {
        await tx(REQUESTS).insert(row);
        await insertEvent(tx, id, input, {
          at: input.createdAt,
          reason: input.reason,
          ...event,
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const byApp = input.target
          ? await this.#db<RawChangeRow>(REQUESTS)
              .where({ app_slot: appSlotOf(input.target, input.environment) })
              .first()
          : undefined;
        if (byApp && byApp.entity_ref !== input.entityRef) {
          throw new ConflictError(
            `environment: Argo CD application '${
              input.target!.application
            }' on instance '${
              input.target!.instance
            }' already has an open change for '${input.environment}' (${
              byApp.id
            }, ${byApp.state}, requested for ${byApp.entity_ref})`,
          );
        }
        const open = await this.findOpenChange(
          input.entityRef,
          input.environment,
        );
        throw new ConflictError(
          `environment: ${input.entityRef} already has an open change for '${
            input.environment
          }' (${open ? `${open.id}, ${open.state}` : 'just created'})`,
        );
      }
      throw e;
    }
    return (await this.getChange(id))!;
  }

  async getChange(id: string): Promise<StoredChange | undefined> {
    return readChange(this.#db, id);
  }

  async getChangeDetail(id: string) {
    const change = await this.getChange(id);
    if (!change) {
      return undefined;
    }
    const rows: RawEventRow[] = await this.#db(EVENTS)
      .where({ change_id: id })
      .orderBy('id', 'asc');
    return { ...change, events: rows.map(rowToEvent) };
  }

  async listChanges(filter: ChangeFilter): Promise<StoredChange[]> {
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
    const query = this.#db<RawChangeRow>(REQUESTS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (filter.entityRef) {
      query.where('entity_ref', filter.entityRef);
    }
    if (filter.environment) {
      query.where('environment', filter.environment);
    }
    if (filter.states && filter.states.length) {
      query.whereIn('state', filter.states);
    }
    const rows: RawChangeRow[] = await query;
    return withApprovals(this.#db, rows);
  }

  async findOpenChange(entityRef: string, environment: string) {
    const row: RawChangeRow | undefined = await this.#db(REQUESTS)
      .where({ open_slot: slotOf(entityRef, environment) })
      .first();
    return row ? (await withApprovals(this.#db, [row]))[0] : undefined;
  }

  async addDecision(
    id: string,
    decision: StoredApproval,
    event: NewChangeEvent,
  ): Promise<DecisionOutcome> {
    const attempt = async (): Promise<DecisionOutcome> =>
      this.#db.transaction(async tx => {
        const change = await readChange(tx, id);
        if (!change) {
          return { outcome: 'not_found' } as const;
        }
        const previous = change.approvals.find(
          a => a.approver === decision.approver,
        );
        if (previous) {
          return previous.decision === decision.decision
            ? ({ outcome: 'duplicate', change } as const)
            : ({ outcome: 'conflict', change, previous } as const);
        }
        // Lock the request row (PostgreSQL) and re-check its state in the
        // same statement, so a concurrent transition cannot slip in between.
        const locked = await tx(REQUESTS)
          .where({ id, state: 'awaiting_approval' })
          .update({ updated_at: new Date(decision.decidedAt) });
        if (locked !== 1) {
          // Re-read: the first read may predate the transition that closed it
          // (PostgreSQL, read committed), and the caller says who decided first.
          return {
            outcome: 'not_open',
            change: (await readChange(tx, id)) ?? change,
          } as const;
        }
        await tx(APPROVALS).insert({
          change_id: id,
          approver: decision.approver,
          decision: decision.decision,
          comment: decision.comment ?? null,
          decided_at: new Date(decision.decidedAt),
          approver_claims_json: decision.claims
            ? JSON.stringify(decision.claims)
            : null,
        });
        await insertEvent(tx, id, change, {
          at: new Date(decision.decidedAt),
          ...event,
        });
        return {
          outcome: 'recorded',
          change: (await readChange(tx, id))!,
        } as const;
      });
    try {
      return await attempt();
    } catch (e) {
      if (isUniqueViolation(e)) {
        // The same approver decided concurrently; report what is stored now.
        return attempt();
      }
      throw e;
    }
  }

  async transition(input: TransitionInput): Promise<StoredChange | undefined> {
    const now = input.now ?? new Date();
    return this.#db.transaction(async tx => {
      const current = await readChange(tx, input.id);
      if (!current || !input.from.includes(current.state)) {
        return undefined;
      }
      const update: Record<string, unknown> = {
        state: input.to,
        updated_at: now,
      };
      if (!isOpen(input.to)) {
        update.open_slot = null;
        update.app_slot = null;
      }
      if (input.to !== 'executing') {
        update.execution_owner = null;
        update.execution_lease_until = null;
      }
      const p = input.patch ?? {};
      if (p.checks) update.checks_json = JSON.stringify(p.checks);
      if (p.runAfter !== undefined) update.run_after = p.runAfter;
      if (p.expiresAt !== undefined) update.expires_at = p.expiresAt;
      if (p.result) update.result_json = JSON.stringify(p.result);
      const q = tx(REQUESTS)
        .where('id', input.id)
        .whereIn('state', input.from)
        .update(update);
      if (input.owner) {
        q.where('execution_owner', input.owner);
      }
      const count = await q;
      if (count !== 1) {
        return undefined;
      }
      await insertEvent(tx, input.id, current, {
        at: now,
        ...input.event,
      });
      return readChange(tx, input.id);
    });
  }

  async appendEvent(id: string, event: NewChangeEvent): Promise<ChangeEvent> {
    return this.#db.transaction(async tx => {
      const change = await readChange(tx, id);
      if (!change) {
        throw new Error(`change ${id} does not exist`);
      }
      const eventId = await insertEvent(tx, id, change, event);
      const row: RawEventRow = await tx(EVENTS).where('id', eventId).first();
      return rowToEvent(row);
    });
  }

  async claimForExecution(
    input: ClaimInput,
  ): Promise<StoredChange | undefined> {
    return claimForExecution(this.#db, input);
  }

  async renewLease(id: string, owner: string, leaseMs: number, now: Date) {
    return renewLease(this.#db, id, owner, leaseMs, now);
  }

  async setExecutionStep(
    id: string,
    owner: string,
    step: string,
    event: NewChangeEvent,
  ): Promise<boolean> {
    return setExecutionStep(this.#db, id, owner, step, event);
  }

  async releaseLease(id: string, owner: string): Promise<boolean> {
    return releaseLease(this.#db, id, owner);
  }

  /** The open changes of these entities (all entities when undefined), in one query per 500 refs. */
  async listOpenChanges(entityRefs?: string[]): Promise<OpenChangeSummary[]> {
    return listOpenChanges(this.#db, entityRefs);
  }
}
