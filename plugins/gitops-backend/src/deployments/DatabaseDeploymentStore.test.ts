import path from 'node:path';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { NewDeployment } from './DeploymentStore';

const pg = ensurePostgres();

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T0 = new Date('2026-11-23T10:00:00.000Z');
const H = 3_600_000;

function deployment(over: Partial<NewDeployment> = {}): NewDeployment {
  return {
    changeId: 'c1',
    kind: 'promote',
    entityRef: 'component:default/python-api-base',
    environment: 'staging',
    pipeline: 'standard',
    instance: 'local',
    application: 'python-api-base-staging',
    appNamespace: 'argocd',
    version: 'v1.2.0-rc.1',
    fromVersion: 'v1.1.0-rc.2',
    gitCommit: 'a'.repeat(40),
    requestedBy: 'user:default/alice',
    approvers: ['user:default/bob'],
    override: false,
    startedAt: T0,
    ...over,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore (%s)',
  id => {
    async function makeStore() {
      const knex = await databases.init(id);
      const store = await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      return { knex, store };
    }

    it('records a deployment and reads it back with every field', async () => {
      const { store } = await makeStore();
      const d = await store.start(deployment());
      expect(d).toMatchObject({
        changeId: 'c1',
        kind: 'promote',
        version: 'v1.2.0-rc.1',
        fromVersion: 'v1.1.0-rc.2',
        gitCommit: 'a'.repeat(40),
        outcome: 'running',
        requestedBy: 'user:default/alice',
        approvers: ['user:default/bob'],
        override: false,
        appNamespace: 'argocd',
      });
      expect(d.startedAt.toISOString()).toBe(T0.toISOString());
      expect(d.finishedAt).toBeUndefined();
      expect(d.historyId).toBeUndefined();
    });

    it('recording the same change twice keeps one row (resumed execution)', async () => {
      const { store } = await makeStore();
      const a = await store.start(deployment());
      const b = await store.start(
        deployment({ version: 'other', startedAt: new Date(T0.getTime() + H) }),
      );
      expect(b.id).toBe(a.id);
      expect(b.version).toBe('v1.2.0-rc.1');
      const [x, y] = await Promise.all([
        store.start(deployment({ changeId: 'c2' })),
        store.start(deployment({ changeId: 'c2' })),
      ]);
      expect(x.id).toBe(y.id);
      expect(
        await store.list({
          entityRef: 'component:default/python-api-base',
          environment: 'staging',
        }),
      ).toHaveLength(2);
    });

    it('finishes, joins to Argo CD history and sets healthy since only once', async () => {
      const { store } = await makeStore();
      await store.start(deployment());
      const t1 = new Date(T0.getTime() + 60_000);
      const t2 = new Date(T0.getTime() + 120_000);
      const d = await store.update(
        'c1',
        {
          historyId: 7,
          syncedRevision: 'b'.repeat(40),
          outcome: 'succeeded',
          finishedAt: t1,
          healthySince: t1,
        },
        t1,
      );
      expect(d).toMatchObject({
        historyId: 7,
        syncedRevision: 'b'.repeat(40),
        outcome: 'succeeded',
      });
      expect(d!.healthySince!.toISOString()).toBe(t1.toISOString());
      const again = await store.update('c1', { healthySince: t2 }, t2);
      expect(again!.healthySince!.toISOString()).toBe(t1.toISOString());
      expect(again!.updatedAt.toISOString()).toBe(t2.toISOString());
      expect(await store.update('missing', { outcome: 'failed' }, t2)).toBe(
        undefined,
      );
    });

    it('a later successful deployment marks the earlier one replaced; a failed one does not', async () => {
      const { store } = await makeStore();
      await store.start(deployment({ changeId: 'old' }));
      await store.update(
        'old',
        { outcome: 'succeeded', finishedAt: new Date(T0.getTime() + 60_000) },
        T0,
      );
      const t1 = new Date(T0.getTime() + 2 * H);
      await store.start(deployment({ changeId: 'bad', startedAt: t1 }));
      await store.update('bad', { outcome: 'failed', finishedAt: t1 }, t1);
      expect((await store.getByChange('old'))!.replacedAt).toBeUndefined();
      const t2 = new Date(T0.getTime() + 3 * H);
      await store.start(deployment({ changeId: 'new', startedAt: t2 }));
      await store.update('new', { outcome: 'degraded', finishedAt: t2 }, t2);
      expect((await store.getByChange('old'))!.replacedAt!.toISOString()).toBe(
        t2.toISOString(),
      );
      expect((await store.getByChange('new'))!.replacedAt).toBeUndefined();
      const list = await store.list({
        entityRef: 'component:default/python-api-base',
        environment: 'staging',
      });
      expect(list.map(r => r.changeId)).toEqual(['new', 'bad', 'old']);
      expect(
        await store.list({
          entityRef: 'component:default/python-api-base',
          environment: 'prod',
        }),
      ).toEqual([]);
    });
  },
);

describe.each(databases.eachSupportedId())('deployments migration (%s)', id => {
  it('steps up and down', async () => {
    const knex = await databases.init(id);
    const dir = path.resolve(__dirname, '../../migrations');
    await DatabaseDeploymentStore.fromKnex(knex);
    expect(await knex.schema.hasTable('gitops_deployments')).toBe(true);
    // one step down removes only the deployments table
    await knex.migrate.down({
      directory: dir,
      name: '20261201203000_deployments.js',
    });
    expect(await knex.schema.hasTable('gitops_deployments')).toBe(false);
    expect(await knex.schema.hasTable('gitops_change_requests')).toBe(true);
    await knex.migrate.up({
      directory: dir,
      name: '20261201203000_deployments.js',
    });
    expect(await knex.schema.hasTable('gitops_deployments')).toBe(true);
    await knex.migrate.rollback({ directory: dir }, true);
    expect(await knex.schema.hasTable('gitops_deployments')).toBe(false);
  });
});
