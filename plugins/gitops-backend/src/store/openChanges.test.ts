/* The open changes of many entities in one read (the fleet page), on both engines. */
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { NewChange } from './ChangeStore';
import { DatabaseChangeStore } from './DatabaseChangeStore';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T0 = new Date('2026-11-23T10:00:00.000Z');

function newChange(
  entity: string,
  environment: string,
  over: Partial<NewChange> = {},
): NewChange {
  return {
    entityRef: `component:default/${entity}`,
    environment,
    pipeline: 'standard',
    kind: 'promote',
    state: 'awaiting_approval',
    version: 'v1.2.0',
    requestedBy: 'user:default/alice',
    override: false,
    requiredApprovals: 1,
    approverRefs: ['group:default/platform-team'],
    checks: [],
    createdAt: T0,
    ...over,
  };
}
const created = { type: 'created', actor: 'user:default/alice' };

describe.each(databases.eachSupportedId())('listOpenChanges (%s)', id => {
  async function makeStore() {
    const knex = await databases.init(id);
    return DatabaseChangeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  it('returns only open changes of the entities asked for, without approvals', async () => {
    const store = await makeStore();
    const a = await store.createChange(newChange('a', 'prod'), created);
    const aDev = await store.createChange(
      newChange('a', 'dev', { kind: 'sync', version: undefined }),
      created,
    );
    const done = await store.createChange(newChange('a', 'staging'), created);
    await store.transition({
      id: done.id,
      from: ['awaiting_approval'],
      to: 'cancelled',
      event: { type: 'cancelled' },
    });
    const b = await store.createChange(
      newChange('b', 'prod', { state: 'approved' }),
      created,
    );
    await store.createChange(newChange('c', 'prod'), created);

    const some = await store.listOpenChanges([
      'component:default/a',
      'component:default/b',
      'component:default/a',
    ]);
    expect(some.map(c => c.id).sort()).toEqual([a.id, aDev.id, b.id].sort());
    expect(some.find(c => c.id === a.id)).toEqual({
      id: a.id,
      entityRef: 'component:default/a',
      environment: 'prod',
      state: 'awaiting_approval',
      kind: 'promote',
      version: 'v1.2.0',
    });
    expect(some.find(c => c.id === aDev.id)).toEqual({
      id: aDev.id,
      entityRef: 'component:default/a',
      environment: 'dev',
      state: 'awaiting_approval',
      kind: 'sync',
    });
    expect(some.find(c => c.id === b.id)?.state).toBe('approved');

    expect(await store.listOpenChanges([])).toEqual([]);
    expect((await store.listOpenChanges()).length).toBe(4);
  });

  it('reads more refs than one IN list holds', async () => {
    const store = await makeStore();
    const c = await store.createChange(newChange('e-1199', 'prod'), created);
    const refs = Array.from(
      { length: 1200 },
      (_, i) => `component:default/e-${i}`,
    );
    expect((await store.listOpenChanges(refs)).map(x => x.id)).toEqual([c.id]);
  });
});
