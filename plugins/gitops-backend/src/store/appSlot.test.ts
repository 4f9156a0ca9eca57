/* One open change per Argo CD application and environment, whichever entity asks (both engines, concurrently). */
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { ChangeTarget, NewChange } from './ChangeStore';
import { DatabaseChangeStore } from './DatabaseChangeStore';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T0 = new Date('2026-11-23T10:00:00.000Z');
const TARGET: ChangeTarget = {
  instance: 'local',
  application: 'python-api-base-prod',
  appNamespace: 'argocd',
  project: 'shop',
  writeBack: 'git gitops:apps/python-api-base-prod/values.yaml image.tag',
  binding: [
    'annotation gitops.backstage.io/entity-ref of the Argo CD Application',
  ],
};

function newChange(entity: string, over: Partial<NewChange> = {}): NewChange {
  return {
    entityRef: `component:default/${entity}`,
    environment: 'prod',
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
    target: TARGET,
    ...over,
  };
}
const created = { type: 'created', actor: 'user:default/alice' };

describe.each(databases.eachSupportedId())('app slot (%s)', id => {
  async function makeStore() {
    const knex = await databases.init(id);
    return DatabaseChangeStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
  }

  it('keeps the target fixed at creation', async () => {
    const store = await makeStore();
    const c = await store.createChange(newChange('python-api-base'), created);
    expect((await store.getChange(c.id))?.target).toEqual(TARGET);
  });

  it('20 entities racing for one application: exactly one open change', async () => {
    const store = await makeStore();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.createChange(newChange(`claimant-${i}`), created),
      ),
    );
    const ok = results.filter(r => r.status === 'fulfilled');
    const refused = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) {
      expect(r.reason.name).toBe('ConflictError');
      expect(r.reason.message).toMatch(
        /^environment: Argo CD application 'python-api-base-prod' on instance 'local' already has an open change for 'prod' \(.+, awaiting_approval, requested for component:default\/claimant-\d+\)$/,
      );
    }
    expect(
      await store.listChanges({ states: ['awaiting_approval'] }),
    ).toHaveLength(1);
  });

  it('the slot frees when the change closes; other applications and environments are independent', async () => {
    const store = await makeStore();
    const first = await store.createChange(newChange('a'), created);
    await store.createChange(
      newChange('b', { target: { ...TARGET, application: 'other-prod' } }),
      created,
    );
    await store.createChange(
      newChange('c', { environment: 'staging' }),
      created,
    );
    await expect(store.createChange(newChange('d'), created)).rejects.toThrow(
      /already has an open change/,
    );
    await store.transition({
      id: first.id,
      from: ['awaiting_approval'],
      to: 'cancelled',
      event: { type: 'cancelled', actor: 'user:default/alice' },
    });
    await expect(
      store.createChange(newChange('d'), created),
    ).resolves.toMatchObject({ entityRef: 'component:default/d' });
  });
});
