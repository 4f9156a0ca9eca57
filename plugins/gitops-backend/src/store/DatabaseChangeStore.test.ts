import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { DatabaseChangeStore } from './DatabaseChangeStore';
import { NewChange } from './ChangeStore';

const pg = ensurePostgres();

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
// after TestDatabases' own afterAll (which drops its databases)
afterAll(() => pg.stop());

const T0 = new Date('2026-11-23T10:00:00.000Z');

function newChange(over: Partial<NewChange> = {}): NewChange {
  return {
    entityRef: 'component:default/python-api-base',
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
    checks: [{ id: 'tag-pattern', status: 'pass', message: 'ok' }],
    expiresAt: new Date(T0.getTime() + 86_400_000),
    createdAt: T0,
    ...over,
  };
}

describe.each(databases.eachSupportedId())('DatabaseChangeStore (%s)', id => {
  async function makeStore() {
    const knex = await databases.init(id);
    const store = await DatabaseChangeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    return { knex, store };
  }

  it('creates, reads and lists a change with its created event', async () => {
    const { store } = await makeStore();
    const c = await store.createChange(newChange(), {
      type: 'created',
      actor: 'user:default/alice',
      outcome: 'pending',
    });
    expect(c).toMatchObject({
      entityRef: 'component:default/python-api-base',
      state: 'awaiting_approval',
      version: 'v1.2.0',
      fromVersion: 'v1.1.0',
      override: false,
      requiredApprovals: 2,
      approverRefs: ['group:default/platform-team'],
      createdAt: T0.toISOString(),
      expiresAt: '2026-11-24T10:00:00.000Z',
      executionAttempts: 0,
      approvals: [],
    });
    const detail = await store.getChangeDetail(c.id);
    expect(detail!.events).toHaveLength(1);
    expect(detail!.events[0]).toMatchObject({
      type: 'created',
      actor: 'user:default/alice',
      at: T0.toISOString(),
      data: {
        entityRef: 'component:default/python-api-base',
        environment: 'prod',
        fromVersion: 'v1.1.0',
        toVersion: 'v1.2.0',
        reason: 'release',
        outcome: 'pending',
      },
    });
    expect(
      await store.listChanges({
        entityRef: c.entityRef,
        states: ['awaiting_approval'],
      }),
    ).toHaveLength(1);
    expect(await store.listChanges({ states: ['succeeded'] })).toHaveLength(0);
    expect((await store.findOpenChange(c.entityRef, 'prod'))!.id).toBe(c.id);
    expect(await store.findOpenChange(c.entityRef, 'staging')).toBeUndefined();
    expect(await store.getChange('nope')).toBeUndefined();
  });

  it('allows one open change per entity and environment, enforced by the database', async () => {
    const { store, knex } = await makeStore();
    const first = await store.createChange(newChange(), { type: 'created' });
    await expect(
      store.createChange(newChange(), { type: 'created' }),
    ).rejects.toThrow(
      new RegExp(`already has an open change for 'prod' \\(${first.id}`),
    );
    // a finished change does not hold the slot
    await store.createChange(
      newChange({ environment: 'staging', state: 'blocked' }),
      { type: 'blocked' },
    );
    await store.createChange(
      newChange({ environment: 'staging', state: 'blocked' }),
      { type: 'blocked' },
    );
    // once closed, a new one may be opened
    await store.transition({
      id: first.id,
      from: ['awaiting_approval'],
      to: 'cancelled',
      event: { type: 'cancelled' },
    });
    await store.createChange(newChange(), { type: 'created' });
    const rows = await knex('gitops_change_requests').count({ n: '*' });
    expect(Number(rows[0].n)).toBe(4);
  });

  it('resolves concurrent creates for one slot to one success', async () => {
    const { store, knex } = await makeStore();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        store.createChange(newChange(), { type: 'created' }),
      ),
    );
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(rejected).toHaveLength(7);
    for (const r of rejected) {
      expect(r.reason.name).toBe('ConflictError');
    }
    const events = await knex('gitops_change_events').count({ n: '*' });
    expect(Number(events[0].n)).toBe(1);
  });

  it('records decisions once per approver, idempotent and conflicting', async () => {
    const { store } = await makeStore();
    const c = await store.createChange(newChange(), { type: 'created' });
    const at = new Date(T0.getTime() + 1000).toISOString();
    const bob = {
      approver: 'user:default/bob',
      decision: 'approve' as const,
      decidedAt: at,
      comment: 'lgtm',
      claims: ['user:default/bob', 'group:default/platform-team'],
    };
    const r1 = await store.addDecision(c.id, bob, {
      type: 'approval',
      actor: bob.approver,
    });
    expect(r1.outcome).toBe('recorded');
    const r2 = await store.addDecision(c.id, bob, {
      type: 'approval',
      actor: bob.approver,
    });
    expect(r2.outcome).toBe('duplicate');
    const r3 = await store.addDecision(
      c.id,
      { ...bob, decision: 'reject' },
      { type: 'rejection' },
    );
    expect(r3).toMatchObject({
      outcome: 'conflict',
      previous: { decision: 'approve' },
    });
    const detail = await store.getChangeDetail(c.id);
    expect(detail!.approvals).toEqual([bob]);
    expect(detail!.events.map(e => e.type)).toEqual(['created', 'approval']);
    expect((await store.addDecision('nope', bob, { type: 'x' })).outcome).toBe(
      'not_found',
    );
    await store.transition({
      id: c.id,
      from: ['awaiting_approval'],
      to: 'rejected',
      event: { type: 'rejected' },
    });
    const r4 = await store.addDecision(
      c.id,
      { ...bob, approver: 'user:default/carol' },
      { type: 'approval' },
    );
    expect(r4.outcome).toBe('not_open');
  });

  it('transitions conditionally: concurrent transitions resolve to one', async () => {
    const { store } = await makeStore();
    const c = await store.createChange(newChange(), { type: 'created' });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transition({
          id: c.id,
          from: ['awaiting_approval'],
          to: 'approved',
          event: { type: 'approved', actor: `user:default/u${i}` },
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const detail = await store.getChangeDetail(c.id);
    expect(detail!.state).toBe('approved');
    expect(detail!.events.filter(e => e.type === 'approved')).toHaveLength(1);
  });

  it('claims a runnable change for exactly one owner, with lease expiry', async () => {
    const { store } = await makeStore();
    const c = await store.createChange(newChange({ state: 'approved' }), {
      type: 'created',
    });
    const now = new Date(T0.getTime() + 5000);
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map(owner =>
        store.claimForExecution({ owner, leaseMs: 60_000, now }),
      ),
    );
    const won = claims.filter(Boolean);
    expect(won).toHaveLength(1);
    const owner = won[0]!.executionOwner!;
    expect(won[0]).toMatchObject({
      id: c.id,
      state: 'executing',
      executionAttempts: 1,
    });
    expect(
      await store.claimForExecution({ owner: 'z', leaseMs: 1, now }),
    ).toBeUndefined();
    expect(await store.renewLease(c.id, 'z', 1000, now)).toBe(false);
    expect(await store.renewLease(c.id, owner, 60_000, now)).toBe(true);
    expect(
      await store.setExecutionStep(c.id, 'z', 'write', { type: 'step.write' }),
    ).toBe(false);
    expect(
      await store.setExecutionStep(c.id, owner, 'write', {
        type: 'step.write',
      }),
    ).toBe(true);
    // a crashed owner: after the lease expires another process takes over
    const later = new Date(now.getTime() + 120_000);
    const retaken = await store.claimForExecution({
      owner: 'z',
      leaseMs: 60_000,
      now: later,
    });
    expect(retaken).toMatchObject({
      executionOwner: 'z',
      executionAttempts: 2,
      executionStep: 'write',
    });
    // the old owner can no longer finish it
    expect(
      await store.transition({
        id: c.id,
        from: ['executing'],
        to: 'succeeded',
        owner,
        event: { type: 'succeeded' },
      }),
    ).toBeUndefined();
    const done = await store.transition({
      id: c.id,
      from: ['executing'],
      to: 'succeeded',
      owner: 'z',
      patch: { result: { commitSha: 'abc' } },
      event: { type: 'succeeded', outcome: 'success' },
    });
    expect(done).toMatchObject({
      state: 'succeeded',
      result: { commitSha: 'abc' },
    });
    expect(done!.executionOwner).toBeUndefined();
    expect(await store.findOpenChange(c.entityRef, 'prod')).toBeUndefined();
  });

  it('claims waiting_for_window only once run_after has passed', async () => {
    const { store } = await makeStore();
    const runAfter = new Date(T0.getTime() + 3_600_000);
    const c = await store.createChange(
      newChange({ state: 'waiting_for_window', runAfter }),
      { type: 'created' },
    );
    expect(
      await store.claimForExecution({ owner: 'a', leaseMs: 1000, now: T0 }),
    ).toBeUndefined();
    expect(
      await store.claimForExecution({
        owner: 'a',
        leaseMs: 1000,
        now: runAfter,
        id: c.id,
      }),
    ).toMatchObject({ id: c.id, state: 'executing' });
  });

  it('appends events and releases leases', async () => {
    const { store } = await makeStore();
    const c = await store.createChange(newChange({ state: 'approved' }), {
      type: 'created',
    });
    const e = await store.appendEvent(c.id, {
      type: 'reevaluated',
      message: 'still fine',
      data: { n: 1 },
    });
    expect(e).toMatchObject({
      changeId: c.id,
      type: 'reevaluated',
      message: 'still fine',
      data: { n: 1 },
    });
    await expect(store.appendEvent('nope', { type: 'x' })).rejects.toThrow(
      /does not exist/,
    );
    await store.claimForExecution({ owner: 'a', leaseMs: 1000, now: T0 });
    expect(await store.releaseLease(c.id, 'b')).toBe(false);
    expect(await store.releaseLease(c.id, 'a')).toBe(true);
  });
});

describe.each(databases.eachSupportedId())('migrations (%s)', id => {
  it('steps up and down', async () => {
    const knex = await databases.init(id);
    await DatabaseChangeStore.fromKnex(knex);
    expect(await knex.schema.hasTable('gitops_change_requests')).toBe(true);
    await knex.migrate.rollback(
      { directory: require('path').resolve(__dirname, '../../migrations') },
      true,
    );
    expect(await knex.schema.hasTable('gitops_change_requests')).toBe(false);
    expect(await knex.schema.hasTable('gitops_change_events')).toBe(false);
  });
});
