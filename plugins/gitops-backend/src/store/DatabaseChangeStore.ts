import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ChangeEvent,
  ChangeState,
  OPEN_CHANGE_STATES,
} from '@internal/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  ChangeTarget,
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
  RawApprovalRow,
  RawChangeRow,
  RawEventRow,
  rowToApproval,
  rowToChange,
  rowToEvent,
  toDate,
} from './rows';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-gitops-backend',
  'migrations',
);

const REQUESTS = 'gitops_change_requests';
const APPROVALS = 'gitops_change_approvals';
const EVENTS = 'gitops_change_events';

/** States from which the executor may claim a change. */
const RUNNABLE: ChangeState[] = ['approved', 'waiting_for_window'];

/** The application's slot: one open change per Argo CD application and environment. */
function appSlotOf(target: ChangeTarget, environment: string): string {
  return `${target.instance}/${target.appNamespace ?? ''}/${
    target.application
  }|${environment}`;
}

function slotOf(entityRef: string, environment: string): string {
  return `${entityRef}|${environment}`;
}

function isOpen(state: ChangeState): boolean {
  return OPEN_CHANGE_STATES.includes(state);
}

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
async function migrateWhenUnlocked(client: Knex): Promise<void> {
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
    const row = {
      id,
      entity_ref: input.entityRef,
      environment: input.environment,
      pipeline: input.pipeline,
      kind: input.kind,
      state: input.state,
      open_slot: isOpen(input.state)
        ? slotOf(input.entityRef, input.environment)
        : null,
      app_slot:
        isOpen(input.state) && input.target
          ? appSlotOf(input.target, input.environment)
          : null,
      target_json: input.target ? JSON.stringify(input.target) : null,
      version: input.version ?? null,
      from_version: input.fromVersion ?? null,
      source_environment: input.sourceEnvironment ?? null,
      rollback_to_json: input.rollbackTo
        ? JSON.stringify(input.rollbackTo)
        : null,
      requested_by: input.requestedBy,
      reason: input.reason ?? null,
      override: input.override,
      required_approvals: input.requiredApprovals,
      approver_refs_json: JSON.stringify(input.approverRefs),
      requester_claims_json: JSON.stringify(
        input.requesterClaims ?? [input.requestedBy],
      ),
      checks_json: JSON.stringify(input.checks),
      expires_at: input.expiresAt ?? null,
      run_after: input.runAfter ?? null,
      execution_attempts: 0,
      created_at: input.createdAt,
      updated_at: input.createdAt,
    };
    try {
      await this.#db.transaction(async tx => {
        await tx(REQUESTS).insert(row);
        await this.#insertEvent(tx, id, input, {
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
    return this.#get(this.#db, id);
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
    return this.#withApprovals(this.#db, rows);
  }

  async findOpenChange(entityRef: string, environment: string) {
    const row: RawChangeRow | undefined = await this.#db(REQUESTS)
      .where({ open_slot: slotOf(entityRef, environment) })
      .first();
    return row ? (await this.#withApprovals(this.#db, [row]))[0] : undefined;
  }

  async addDecision(
    id: string,
    decision: StoredApproval,
    event: NewChangeEvent,
  ): Promise<DecisionOutcome> {
    const attempt = async (): Promise<DecisionOutcome> =>
      this.#db.transaction(async tx => {
        const change = await this.#get(tx, id);
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
          return { outcome: 'not_open', change } as const;
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
        await this.#insertEvent(tx, id, change, {
          at: new Date(decision.decidedAt),
          ...event,
        });
        return {
          outcome: 'recorded',
          change: (await this.#get(tx, id))!,
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
      const current = await this.#get(tx, input.id);
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
      await this.#insertEvent(tx, input.id, current, {
        at: now,
        ...input.event,
      });
      return this.#get(tx, input.id);
    });
  }

  async appendEvent(id: string, event: NewChangeEvent): Promise<ChangeEvent> {
    return this.#db.transaction(async tx => {
      const change = await this.#get(tx, id);
      if (!change) {
        throw new Error(`change ${id} does not exist`);
      }
      const eventId = await this.#insertEvent(tx, id, change, event);
      const row: RawEventRow = await tx(EVENTS).where('id', eventId).first();
      return rowToEvent(row);
    });
  }

  async claimForExecution(
    input: ClaimInput,
  ): Promise<StoredChange | undefined> {
    const { owner, now } = input;
    const candidates = this.#db<RawChangeRow>(REQUESTS)
      .select('id')
      .where(q =>
        q
          .where('state', 'approved')
          .orWhere(w =>
            w
              .where('state', 'waiting_for_window')
              .where(r =>
                r.whereNull('run_after').orWhere('run_after', '<=', now),
              ),
          )
          .orWhere(w =>
            w
              .where('state', 'executing')
              .where('execution_lease_until', '<', now),
          ),
      )
      .orderBy('updated_at', 'asc')
      .limit(10);
    if (input.id) {
      candidates.where('id', input.id);
    }
    const rows: Array<{ id: string }> = await candidates;
    for (const { id } of rows) {
      const claimed = await this.#db.transaction(async tx => {
        const current = await this.#get(tx, id);
        if (!current) return undefined;
        const count = await tx(REQUESTS)
          .where('id', id)
          .where(q =>
            q
              .where(w =>
                w
                  .whereIn('state', RUNNABLE)
                  .where(l =>
                    l
                      .whereNull('execution_lease_until')
                      .orWhere('execution_lease_until', '<', now),
                  ),
              )
              .orWhere(w =>
                w
                  .where('state', 'executing')
                  .where('execution_lease_until', '<', now),
              ),
          )
          .update({
            state: 'executing',
            execution_owner: owner,
            execution_lease_until: new Date(now.getTime() + input.leaseMs),
            execution_attempts: current.executionAttempts + 1,
            updated_at: now,
          });
        if (count !== 1) return undefined;
        await this.#insertEvent(tx, id, current, {
          type: 'execution.claimed',
          actor: 'system:gitops',
          at: now,
          outcome: 'pending',
          message: `claimed by ${owner} (attempt ${
            current.executionAttempts + 1
          })`,
          data: { previousState: current.state },
        });
        return this.#get(tx, id);
      });
      if (claimed) {
        return claimed;
      }
    }
    return undefined;
  }

  async renewLease(id: string, owner: string, leaseMs: number, now: Date) {
    const count = await this.#db(REQUESTS)
      .where({ id, execution_owner: owner, state: 'executing' })
      .update({ execution_lease_until: new Date(now.getTime() + leaseMs) });
    return count === 1;
  }

  async setExecutionStep(
    id: string,
    owner: string,
    step: string,
    event: NewChangeEvent,
  ): Promise<boolean> {
    return this.#db.transaction(async tx => {
      const current = await this.#get(tx, id);
      if (!current) return false;
      const count = await tx(REQUESTS)
        .where({ id, execution_owner: owner, state: 'executing' })
        .update({ execution_step: step, updated_at: event.at ?? new Date() });
      if (count !== 1) return false;
      await this.#insertEvent(tx, id, current, event);
      return true;
    });
  }

  async releaseLease(id: string, owner: string): Promise<boolean> {
    const count = await this.#db(REQUESTS)
      .where({ id, execution_owner: owner })
      .update({ execution_owner: null, execution_lease_until: null });
    return count === 1;
  }

  async #get(db: Knex, id: string): Promise<StoredChange | undefined> {
    const row: RawChangeRow | undefined = await db(REQUESTS)
      .where('id', id)
      .first();
    return row ? (await this.#withApprovals(db, [row]))[0] : undefined;
  }

  async #withApprovals(db: Knex, rows: RawChangeRow[]) {
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

  async #insertEvent(
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
    return typeof inserted === 'object'
      ? Number(inserted.id)
      : Number(inserted);
  }
}
