import { DeploymentRecord } from './DeploymentStore';
import { matchRecords } from './DeploymentService';

const T = (h: number) => new Date(Date.UTC(2026, 10, 21, h));

function rec(over: Partial<DeploymentRecord>): DeploymentRecord {
  return {
    id: over.changeId ?? 'r',
    changeId: 'c',
    kind: 'promote',
    entityRef: 'component:default/api',
    environment: 'prod',
    pipeline: 'standard',
    instance: 'local',
    application: 'api-prod',
    outcome: 'succeeded',
    startedAt: T(10),
    requestedBy: 'user:default/alice',
    approvers: [],
    override: false,
    updatedAt: T(10),
    ...over,
  };
}

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('matchRecords', () => {
  const app = { instance: 'local', name: 'api-prod' };

  it('pairs by Argo CD history id first', () => {
    const rows = [
      { id: 3, revision: A, deployedAt: T(12).toISOString() },
      { id: 2, revision: A, deployedAt: T(11).toISOString() },
    ];
    const r = rec({ changeId: 'c1', historyId: 2, syncedRevision: A });
    expect(matchRecords(rows, [r], app)).toEqual([undefined, r]);
  });

  it('else by synced revision or our commit, the latest deployment started before the row', () => {
    const rows = [
      { id: 5, revision: B, deployedAt: T(14).toISOString() },
      { id: 4, revision: A, deployedAt: T(12).toISOString() },
    ];
    const early = rec({ changeId: 'early', gitCommit: A, startedAt: T(9) });
    const late = rec({ changeId: 'late', gitCommit: A, startedAt: T(11) });
    const future = rec({
      changeId: 'future',
      syncedRevision: B,
      startedAt: T(15),
    });
    expect(matchRecords(rows, [early, late, future], app)).toEqual([
      undefined,
      late,
    ]);
  });

  it('never pairs one record twice, nor records of another app or instance', () => {
    const rows = [
      { id: 2, revision: A, deployedAt: T(12).toISOString() },
      { id: 1, revision: A, deployedAt: T(11).toISOString() },
    ];
    const mine = rec({ changeId: 'm', gitCommit: A, startedAt: T(10) });
    const otherApp = rec({ changeId: 'o', application: 'x', gitCommit: A });
    const otherInstance = rec({ changeId: 'i', instance: 'eu', gitCommit: A });
    const out = matchRecords(rows, [mine, otherApp, otherInstance], app);
    expect(out.filter(Boolean)).toEqual([mine]);
  });

  it('pairs multi-source rows by any of their revisions', () => {
    const rows = [
      { id: 7, revisions: ['1.4.2', A], deployedAt: T(12).toISOString() },
    ];
    const r = rec({ changeId: 'ms', syncedRevision: A, startedAt: T(11) });
    expect(matchRecords(rows, [r], app)).toEqual([r]);
  });

  it('a record with a history id is not paired by revision to another row', () => {
    const rows = [{ id: 9, revision: A, deployedAt: T(12).toISOString() }];
    const r = rec({ changeId: 'h', historyId: 8, syncedRevision: A });
    expect(matchRecords(rows, [r], app)).toEqual([undefined]);
  });
});
