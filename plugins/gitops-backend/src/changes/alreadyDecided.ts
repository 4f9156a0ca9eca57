import { StoredChange } from '../store/ChangeStore';

const APPROVED_STATES = new Set([
  'approved',
  'waiting_for_window',
  'executing',
  'succeeded',
  'failed',
  'blocked',
]);

/**
 * The 409 message for a decision on a change that no longer takes
 * decisions: who decided first (and when), not only the state. For two
 * approvers deciding at the same moment, the one whose decision arrived
 * after the transition reads who made it.
 *
 * @internal
 */
export function alreadyDecided(
  change: Pick<StoredChange, 'id' | 'state' | 'approvals'>,
): string {
  const byTime = [...change.approvals].sort(
    (a, b) => Date.parse(a.decidedAt) - Date.parse(b.decidedAt),
  );
  const rejection = byTime.find(a => a.decision === 'reject');
  const approvals = byTime.filter(a => a.decision === 'approve');
  let what = `is ${change.state}`;
  if (change.state === 'rejected' && rejection) {
    what = `was already rejected by ${rejection.approver} at ${rejection.decidedAt}`;
  } else if (APPROVED_STATES.has(change.state) && approvals.length) {
    what = `was already approved by ${approvals
      .map(a => a.approver)
      .join(', ')} at ${approvals[approvals.length - 1].decidedAt}`;
  }
  return `state: change ${change.id} ${what}; it no longer takes decisions`;
}
