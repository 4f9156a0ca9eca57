import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { NewChange } from '../store/ChangeStore';
import { DatabaseChangeStore } from '../store/DatabaseChangeStore';
import { MovedChange } from './GitOpsSignalPublisher';
import { SignallingChangeStore } from './SignallingChangeStore';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T0 = new Date('2026-11-23T10:00:00.000Z');
const REF = 'component:default/python-api-base';

function newChange(over: Partial<NewChange> = {}): NewChange {
  return {
    entityRef: REF,
    environment: 'prod',
    pipeline: 'standard',
    kind: 'promote',
    state: 'awaiting_approval',
    version: 'v1.2.0',
    fromVersion: 'v1.1.0',
    sourceEnvironment: 'staging',
    requestedBy: 'user:default/alice',
    reason: 'release',
    override: false,
    requiredApprovals: 2,
    approverRefs: ['group:default/platform-team'],
    checks: [],
    expiresAt: new Date(T0.getTime() + 86_400_000),
    createdAt: T0,
    ...over,
  };
}

const decision = (approver: string) => ({
  approver,
  decision: 'approve' as const,
  decidedAt: T0.toISOString(),
  claims: [approver],
});

describe.each(databases.eachSupportedId())('SignallingChangeStore (%s)', id => {
  async function setup(listener?: (c: MovedChange) => void) {
    const knex = await databases.init(id);
    const db = await DatabaseChangeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const moved: MovedChange[] = [];
    const store = new SignallingChangeStore(
      db,
      listener ?? (c => moved.push(c)),
    );
    return { db, store, moved };
  }

  it('reports a created change, a recorded decision and a transition that won, after they are stored', async () => {
    const { store, db, moved } = await setup();
    const c = await store.createChange(newChange(), { type: 'created' });
    expect(moved).toEqual([
      {
        id: c.id,
        entityRef: REF,
        environment: 'prod',
        state: 'awaiting_approval',
      },
    ]);
    const recorded = await store.addDecision(
      c.id,
      decision('user:default/bob'),
      {
        type: 'approval',
      },
    );
    expect(recorded.outcome).toBe('recorded');
    // the repeated identical decision changed nothing: not reported
    await store.addDecision(c.id, decision('user:default/bob'), {
      type: 'approval',
    });
    expect(moved).toHaveLength(2);
    expect(moved[1].state).toBe('awaiting_approval');
    const approved = await store.transition({
      id: c.id,
      from: ['awaiting_approval'],
      to: 'approved',
      event: { type: 'approved' },
    });
    expect(approved?.state).toBe('approved');
    expect(moved[2]).toEqual({
      id: c.id,
      entityRef: REF,
      environment: 'prod',
      state: 'approved',
    });
    // what was reported is what a read sees
    expect((await db.getChange(c.id))!.state).toBe('approved');
  });

  it('a transition that lost the race reports nothing', async () => {
    const { store, moved } = await setup();
    const c = await store.createChange(newChange(), { type: 'created' });
    const results = await Promise.all(
      ['approved', 'rejected', 'cancelled'].map(to =>
        store.transition({
          id: c.id,
          from: ['awaiting_approval'],
          to: to as 'approved',
          event: { type: to },
        }),
      ),
    );
    const won = results.filter(Boolean);
    expect(won).toHaveLength(1);
    expect(moved.map(m => m.state)).toEqual([
      'awaiting_approval',
      won[0]!.state,
    ]);
  });

  it('reports the claim (→ executing), each step of the lease holder, and the end; not a step of a process that lost the lease', async () => {
    const { store, moved } = await setup();
    const c = await store.createChange(newChange({ state: 'approved' }), {
      type: 'created',
    });
    const now = new Date(T0.getTime() + 1000);
    const claimed = await store.claimForExecution({
      owner: 'a',
      leaseMs: 60_000,
      now,
    });
    expect(claimed?.state).toBe('executing');
    expect(
      await store.claimForExecution({ owner: 'b', leaseMs: 60_000, now }),
    ).toBeUndefined();
    await store.setExecutionStep(c.id, 'a', 'write', { type: 'step.write' });
    await store.setExecutionStep(c.id, 'b', 'write', { type: 'step.write' });
    await store.transition({
      id: c.id,
      from: ['executing'],
      to: 'succeeded',
      owner: 'a',
      event: { type: 'succeeded' },
    });
    expect(moved.map(m => [m.state, m.environment])).toEqual([
      ['approved', 'prod'],
      ['executing', 'prod'],
      ['executing', 'prod'], // step.write by the holder
      ['succeeded', 'prod'],
    ]);
  });

  it('a step of a change claimed before this process reported anything is reported after one read', async () => {
    const { db, store, moved } = await setup();
    const c = await db.createChange(newChange({ state: 'approved' }), {
      type: 'created',
    });
    const now = new Date(T0.getTime() + 1000);
    await db.claimForExecution({ owner: 'a', leaseMs: 60_000, now });
    expect(
      await store.setExecutionStep(c.id, 'a', 'sync', { type: 'step.sync' }),
    ).toBe(true);
    expect(moved).toEqual([
      { id: c.id, entityRef: REF, environment: 'prod', state: 'executing' },
    ]);
  });

  it('a throwing listener never breaks the write', async () => {
    const { store, db } = await setup(() => {
      throw new Error('boom');
    });
    const c = await store.createChange(newChange(), { type: 'created' });
    await expect(
      store.transition({
        id: c.id,
        from: ['awaiting_approval'],
        to: 'cancelled',
        event: { type: 'cancelled' },
      }),
    ).resolves.toMatchObject({ state: 'cancelled' });
    expect((await db.getChange(c.id))!.state).toBe('cancelled');
  });
});
