import { alreadyDecided } from './alreadyDecided';

const id = '6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c01';

describe('alreadyDecided', () => {
  it('names who approved first', () => {
    expect(
      alreadyDecided({
        id,
        state: 'approved',
        approvals: [
          {
            approver: 'user:default/bob',
            decision: 'approve',
            decidedAt: '2026-11-24T10:00:00.000Z',
          },
        ],
      }),
    ).toBe(
      `state: change ${id} was already approved by user:default/bob at 2026-11-24T10:00:00.000Z; it no longer takes decisions`,
    );
  });

  it('names who rejected', () => {
    expect(
      alreadyDecided({
        id,
        state: 'rejected',
        approvals: [
          {
            approver: 'user:default/bob',
            decision: 'approve',
            decidedAt: '2026-11-24T10:00:00.000Z',
          },
          {
            approver: 'user:default/carol',
            decision: 'reject',
            decidedAt: '2026-11-24T10:00:01.000Z',
          },
        ],
      }),
    ).toBe(
      `state: change ${id} was already rejected by user:default/carol at 2026-11-24T10:00:01.000Z; it no longer takes decisions`,
    );
  });

  it('without decisions (cancelled, expired) says the state', () => {
    expect(alreadyDecided({ id, state: 'cancelled', approvals: [] })).toBe(
      `state: change ${id} is cancelled; it no longer takes decisions`,
    );
  });
});
