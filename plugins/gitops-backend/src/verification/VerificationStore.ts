import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  VerificationDecision,
  VerificationDecisionKind,
} from '@internal/plugin-gitops-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { decisionSlot } from './rules';

const TABLE = 'gitops_verification_decisions';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-gitops-backend',
  'migrations',
);

interface Row {
  id: string;
  entity_ref: string;
  environment: string;
  version: string;
  round: number | string;
  position: number | string;
  decision: string;
  decided_by: string;
  decided_by_claims: string;
  comment: string | null;
  decided_at: Date | string | number;
}

function date(v: Date | string | number): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' || /^\d+$/.test(v)) return new Date(Number(v));
  return new Date(v);
}

function toDecision(r: Row): VerificationDecision {
  return {
    id: r.id,
    version: r.version,
    decision: r.decision as VerificationDecisionKind,
    decidedBy: r.decided_by,
    ...(r.comment ? { comment: r.comment } : {}),
    decidedAt: date(r.decided_at).toISOString(),
    round: Number(r.round),
  };
}

/** A decision to record. @internal */
export interface NewVerificationDecision {
  entityRef: string;
  environment: string;
  version: string;
  decision: VerificationDecisionKind;
  decidedBy: string;
  /** The decider's ownership refs (user + groups) at decision time. */
  claims: string[];
  comment?: string;
  now: Date;
}

/** Result of {@link VerificationStore.record}. @internal */
export type RecordResult =
  | { recorded: VerificationDecision }
  | { conflict?: VerificationDecision; reason: string };

/**
 * Knex store of sign-off decisions (SQLite and PostgreSQL; table from the
 * plugin's migrations). The rule of {@link decisionSlot} picks the slot in a
 * transaction; the unique slot makes the loser of a race re-read and be told
 * who decided first.
 *
 * @internal
 */
export class VerificationStore {
  readonly #db: Knex;

  static async create(options: {
    database: DatabaseService;
  }): Promise<VerificationStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new VerificationStore(client);
  }

  /** For tests that bring their own knex. */
  static async fromKnex(knex: Knex): Promise<VerificationStore> {
    await knex.migrate.latest({ directory: migrationsDir });
    return new VerificationStore(knex);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  /** Decisions in one entity environment, newest first (at most 500). */
  async list(options: {
    entityRef: string;
    environment: string;
    version?: string;
  }): Promise<VerificationDecision[]> {
    const rows = await this.#db<Row>(TABLE)
      .where({
        entity_ref: options.entityRef,
        environment: options.environment,
        ...(options.version ? { version: options.version } : {}),
      })
      .orderBy([
        { column: 'decided_at', order: 'desc' },
        { column: 'round', order: 'desc' },
        { column: 'position', order: 'desc' },
      ])
      .limit(500);
    return rows.map(toDecision);
  }

  /** Records a decision if the version's round has room for it. */
  async record(input: NewVerificationDecision): Promise<RecordResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#db.transaction(async tx => {
          const rows = await tx<Row>(TABLE)
            .where({
              entity_ref: input.entityRef,
              environment: input.environment,
              version: input.version,
            })
            .orderBy([
              { column: 'round', order: 'asc' },
              { column: 'position', order: 'asc' },
            ]);
          const slot = decisionSlot(
            rows.map(toDecision),
            input.version,
            input.decision,
            input.now.getTime(),
          );
          if (!slot.ok) {
            return { conflict: slot.conflict, reason: slot.reason };
          }
          const row: Row = {
            id: randomUUID(),
            entity_ref: input.entityRef,
            environment: input.environment,
            version: input.version,
            round: slot.round,
            position: slot.position,
            decision: input.decision,
            decided_by: input.decidedBy,
            decided_by_claims: JSON.stringify(input.claims),
            comment: input.comment ?? null,
            decided_at: input.now,
          };
          await tx<Row>(TABLE).insert(row);
          return { recorded: toDecision(row) };
        });
      } catch (e) {
        // another decision took the slot first: decide again on fresh rows
        const msg = String((e as Error)?.message ?? e);
        if (attempt < 2 && /UNIQUE|duplicate key/i.test(msg)) continue;
        throw e;
      }
    }
  }
}
