import { historyIdOf } from './recording';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

const app: any = {
  metadata: { name: 'api-prod' },
  spec: { project: 'default', destination: {} },
  status: {
    history: [
      { id: 3, revision: A, deployedAt: '2026-11-20T10:00:00Z' },
      { id: 4, revision: B, deployedAt: '2026-11-21T10:00:00Z' },
      { id: 5, revision: A, deployedAt: '2026-11-22T10:00:00Z' },
      { id: 6, revisions: ['1.2.0', B], deployedAt: '2026-11-23T10:00:00Z' },
    ],
  },
};

describe('historyIdOf', () => {
  it('is the newest row of the synced revision deployed after the sync started', () => {
    expect(historyIdOf(app, A)).toBe(5);
    expect(historyIdOf(app, A, new Date('2026-11-22T09:00:00Z'))).toBe(5);
    expect(
      historyIdOf(app, A, new Date('2026-11-22T11:00:00Z')),
    ).toBeUndefined();
    expect(historyIdOf(app, B)).toBe(6);
    expect(historyIdOf(app, B, new Date('2026-11-21T09:00:00Z'))).toBe(6);
    expect(historyIdOf(app, 'c'.repeat(40))).toBeUndefined();
    expect(historyIdOf({ ...app, status: {} }, A)).toBeUndefined();
  });
});
