import { ChangeState } from '@internal/plugin-gitops-common';
import { Knex } from 'knex';
import { ClaimInput, NewChangeEvent, StoredChange } from './ChangeStore';
import { RawChangeRow } from './rows';
import { REQUESTS, insertEvent, readChange } from './tables';

/**
 * The executor's side of the store: claiming a runnable change with a lease,
 * renewing and releasing it, recording the running step. Each write is
 * conditional on the lease, so two replicas never run one change.
 */

/** States from which the executor may claim a change. */
const RUNNABLE: ChangeState[] = ['approved', 'waiting_for_window'];

/** Claims the oldest runnable change (or `input.id`) for `input.owner`. */
export async function claimForExecution(
  db: Knex,
  input: ClaimInput,
): Promise<StoredChange | undefined> {
  const { owner, now } = input;
  const candidates = db<RawChangeRow>(REQUESTS)
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
    const claimed = await db.transaction(async tx => {
      const current = await readChange(tx, id);
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
      await insertEvent(tx, id, current, {
        type: 'execution.claimed',
        actor: 'system:gitops',
        at: now,
        outcome: 'pending',
        message: `claimed by ${owner} (attempt ${
          current.executionAttempts + 1
        })`,
        data: { previousState: current.state },
      });
      return readChange(tx, id);
    });
    if (claimed) {
      return claimed;
    }
  }
  return undefined;
}

export async function renewLease(
  db: Knex,
  id: string,
  owner: string,
  leaseMs: number,
  now: Date,
): Promise<boolean> {
  const count = await db(REQUESTS)
    .where({ id, execution_owner: owner, state: 'executing' })
    .update({ execution_lease_until: new Date(now.getTime() + leaseMs) });
  return count === 1;
}

export async function setExecutionStep(
  db: Knex,
  id: string,
  owner: string,
  step: string,
  event: NewChangeEvent,
): Promise<boolean> {
  return db.transaction(async tx => {
    const current = await readChange(tx, id);
    if (!current) return false;
    const count = await tx(REQUESTS)
      .where({ id, execution_owner: owner, state: 'executing' })
      .update({ execution_step: step, updated_at: event.at ?? new Date() });
    if (count !== 1) return false;
    await insertEvent(tx, id, current, event);
    return true;
  });
}

export async function releaseLease(
  db: Knex,
  id: string,
  owner: string,
): Promise<boolean> {
  const count = await db(REQUESTS)
    .where({ id, execution_owner: owner })
    .update({ execution_owner: null, execution_lease_until: null });
  return count === 1;
}
