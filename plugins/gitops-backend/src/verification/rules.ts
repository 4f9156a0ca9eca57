import type {
  VerificationDecision,
  VerificationDecisionKind,
} from '@internal/plugin-gitops-common';
import { formatDuration } from '../windows';
import { shortRef } from '../policy/verificationChecks';

/** Where a new decision goes, or why it may not be recorded. @internal */
export type DecisionSlot =
  | { ok: true; round: number; position: number }
  | { ok: false; conflict?: VerificationDecision; reason: string };

function who(d: VerificationDecision, now: number): string {
  return `${shortRef(d.decidedBy)} ${formatDuration(
    Math.max(0, now - Date.parse(d.decidedAt)),
  )} ago${d.comment ? ` (${d.comment})` : ''}`;
}

/**
 * One decision per version and round (pure). In the latest round: a first
 * "verified" or "failed" takes position 1; a "failed" may revoke a
 * "verified" (position 2); anything else conflicts, naming who decided. A
 * "requested" opens the next round (position 0) and so revokes the standing
 * decision; without one there is nothing to revoke.
 *
 * @param existing - the version's decisions in this environment, in recording order
 * @internal
 */
export function decisionSlot(
  existing: VerificationDecision[],
  version: string,
  decision: VerificationDecisionKind,
  now: number,
): DecisionSlot {
  const round = Math.max(0, ...existing.map(d => d.round));
  const inRound = existing.filter(
    d => d.round === round && d.decision !== 'requested',
  );
  const first = inRound[0];
  const standing = inRound[inRound.length - 1];
  if (decision === 'requested') {
    if (!standing) {
      return {
        ok: false,
        conflict: existing[existing.length - 1],
        reason: `${version} is already awaiting a sign-off decision; there is nothing to revoke`,
      };
    }
    return { ok: true, round: round + 1, position: 0 };
  }
  if (!first) return { ok: true, round, position: 1 };
  if (decision === 'failed' && standing.decision === 'verified') {
    return { ok: true, round, position: inRound.length + 1 };
  }
  if (standing.decision === 'verified') {
    return {
      ok: false,
      conflict: standing,
      reason: `${version} was already verified by ${who(
        standing,
        now,
      )}; one decision per version (a "failed" or a new sign-off request revokes it)`,
    };
  }
  return {
    ok: false,
    conflict: standing,
    reason: `${version} already failed QA, decided by ${who(
      standing,
      now,
    )}; request a new sign-off to decide again`,
  };
}
