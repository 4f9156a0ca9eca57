import { Entity } from '@backstage/catalog-model';
import { PolicyService } from '../policy';
import { ChangeStore, StoredChange } from '../store/ChangeStore';
import { mergeChecks } from './checks';
import { EntityAccess } from './EntityAccess';

/**
 * Turns the policy's decision after an approval or rejection into the
 * conditional transition: `rejected`, still pending, or runnable
 * (`approved` / `waiting_for_window`). `runnable` is true only when this call
 * made the transition (another approver's request may have won it).
 *
 * @internal
 */
export async function applyApprovalDecision(
  deps: { store: ChangeStore; policy: PolicyService; access: EntityAccess },
  change: StoredChange,
  now: Date,
  entity: Entity,
): Promise<{ change: StoredChange; runnable: boolean }> {
  const decision = await deps.policy.decideApproval(change, now, { entity });
  if (decision.outcome === 'rejected') {
    const rejection = change.approvals.find(a => a.decision === 'reject');
    const rejected =
      (await deps.store.transition({
        id: change.id,
        from: ['awaiting_approval'],
        to: 'rejected',
        now,
        patch: { checks: mergeChecks(change.checks, decision.checks) },
        event: {
          type: 'rejected',
          actor: rejection?.approver,
          reason: rejection?.comment,
          outcome: 'failure',
          message: decision.checks.map(c => c.message).join('; '),
        },
      })) ?? (await deps.access.stored(change.id));
    return { change: rejected, runnable: false };
  }
  if (decision.outcome === 'pending') {
    return { change, runnable: false };
  }
  // Enough approvals: runnable now, or when the window opens.
  const { state, runAfter } = decision;
  const approved = await deps.store.transition({
    id: change.id,
    from: ['awaiting_approval'],
    to: state,
    now,
    patch: {
      checks: mergeChecks(change.checks, decision.checks),
      runAfter: runAfter ?? null,
    },
    event: {
      type: 'approved',
      actor: change.approvals[change.approvals.length - 1]?.approver,
      outcome: 'success',
      message: `${decision.checks.map(c => c.message).join('; ')}${
        runAfter
          ? `; waits for the window (opens ${runAfter.toISOString()})`
          : ''
      }`,
    },
  });
  if (!approved) {
    // Another approver's request made the transition.
    return { change: await deps.access.stored(change.id), runnable: false };
  }
  return { change: approved, runnable: true };
}
