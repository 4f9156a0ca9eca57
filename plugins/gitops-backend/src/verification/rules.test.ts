import type { VerificationDecision } from '@internal/plugin-gitops-common';
import { decisionSlot } from './rules';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const d = (
  decision: VerificationDecision['decision'],
  round = 0,
  comment?: string,
): VerificationDecision => ({
  id: `${decision}-${round}`,
  version: 'v1.2.0-rc.2',
  decision,
  decidedBy: 'user:default/erin',
  decidedAt: new Date(NOW - 2 * 3600_000).toISOString(),
  round,
  ...(comment ? { comment } : {}),
});
const V = 'v1.2.0-rc.2';

describe('decisionSlot (one decision per version and round)', () => {
  it('a first verified or failed takes position 1 of round 0', () => {
    expect(decisionSlot([], V, 'verified', NOW)).toEqual({
      ok: true,
      round: 0,
      position: 1,
    });
    expect(decisionSlot([], V, 'failed', NOW)).toEqual({
      ok: true,
      round: 0,
      position: 1,
    });
  });

  it('a second verified conflicts, naming who decided and when', () => {
    const r = decisionSlot([d('verified', 0, 'all green')], V, 'verified', NOW);
    expect(r).toEqual({
      ok: false,
      conflict: d('verified', 0, 'all green'),
      reason:
        'v1.2.0-rc.2 was already verified by erin 2 h ago (all green); one decision per version (a "failed" or a new sign-off request revokes it)',
    });
  });

  it('a failed revokes a verified (position 2); then nothing more in the round', () => {
    expect(decisionSlot([d('verified')], V, 'failed', NOW)).toEqual({
      ok: true,
      round: 0,
      position: 2,
    });
    const after = [d('verified'), d('failed', 0, 'broken')];
    for (const next of ['verified', 'failed'] as const) {
      expect(decisionSlot(after, V, next, NOW)).toMatchObject({
        ok: false,
        reason:
          'v1.2.0-rc.2 already failed QA, decided by erin 2 h ago (broken); request a new sign-off to decide again',
      });
    }
    expect(decisionSlot([d('failed', 0, 'x')], V, 'verified', NOW).ok).toBe(
      false,
    );
  });

  it('a request opens the next round when a decision stands, else there is nothing to revoke', () => {
    expect(decisionSlot([d('failed', 0, 'x')], V, 'requested', NOW)).toEqual({
      ok: true,
      round: 1,
      position: 0,
    });
    expect(decisionSlot([], V, 'requested', NOW)).toEqual({
      ok: false,
      reason:
        'v1.2.0-rc.2 is already awaiting a sign-off decision; there is nothing to revoke',
    });
    const reopened = [d('failed', 0, 'x'), d('requested', 1)];
    expect(decisionSlot(reopened, V, 'requested', NOW).ok).toBe(false);
    expect(decisionSlot(reopened, V, 'verified', NOW)).toEqual({
      ok: true,
      round: 1,
      position: 1,
    });
  });
});
