import { TestDatabases } from '@backstage/backend-test-utils';
import { ensurePostgres } from '../testUtils/postgres';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import {
  HealthObservationStore,
  HealthSighting,
  healthyStart,
} from './HealthObservationStore';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T = (m: number) => new Date(Date.UTC(2026, 10, 21, 10, m));

function sighting(over: Partial<HealthSighting>): HealthSighting {
  return {
    entityRef: 'component:default/api',
    environment: 'staging',
    instance: 'local',
    application: 'api-staging',
    historyId: 4,
    revision: 'a'.repeat(40),
    version: 'v1.2.0-rc.1',
    deployedAt: T(0),
    health: 'Healthy',
    now: T(5),
    ...over,
  };
}

describe('healthyStart', () => {
  it('is the last health transition, not before the deploy, not after now', () => {
    expect(
      healthyStart({ now: T(5), deployedAt: T(0), healthTransitionAt: T(2) }),
    ).toEqual(T(2));
    // Healthy through the sync: the transition predates the deploy
    expect(
      healthyStart({ now: T(5), deployedAt: T(1), healthTransitionAt: T(-60) }),
    ).toEqual(T(1));
    expect(healthyStart({ now: T(5), healthTransitionAt: T(9) })).toEqual(T(5));
    expect(healthyStart({ now: T(5) })).toEqual(T(5));
  });
});

describe.each(databases.eachSupportedId())(
  'HealthObservationStore (%s)',
  id => {
    async function store() {
      const knex = await databases.init(id);
      await DatabaseDeploymentStore.fromKnex(knex); // runs the migrations
      return new HealthObservationStore(knex);
    }

    it('keeps the first Healthy start, the last Healthy sighting and the first Degraded one', async () => {
      const s = await store();
      let o = await s.observe(sighting({ healthTransitionAt: T(1) }));
      expect(o.healthySince).toEqual(T(1));
      expect(o.degradedAt).toBeUndefined();
      o = await s.observe(sighting({ now: T(30), healthTransitionAt: T(20) }));
      expect(o.healthySince).toEqual(T(1));
      expect(o.lastHealthyAt).toEqual(T(30));
      o = await s.observe(sighting({ now: T(40), health: 'Degraded' }));
      o = await s.observe(sighting({ now: T(50), health: 'Degraded' }));
      expect(o.degradedAt).toEqual(T(40));
      expect(o.lastSeenAt).toEqual(T(50));
      expect(o.firstSeenAt).toEqual(T(5));
    });

    it('one row per deployment, listed newest history id first, per environment', async () => {
      const s = await store();
      await Promise.all([
        s.observe(sighting({ historyId: 4 })),
        s.observe(sighting({ historyId: 4 })),
      ]);
      await s.observe(
        sighting({ historyId: 5, health: 'Progressing', version: undefined }),
      );
      await s.observe(
        sighting({ historyId: 5, version: 'v1.2.0-rc.2', now: T(9) }),
      );
      const list = await s.list({
        entityRef: 'component:default/api',
        environment: 'staging',
      });
      expect(
        list.map(o => [o.historyId, o.version, o.healthySince?.toISOString()]),
      ).toEqual([
        [5, 'v1.2.0-rc.2', T(9).toISOString()],
        [4, 'v1.2.0-rc.1', T(5).toISOString()],
      ]);
      expect(
        await s.list({
          entityRef: 'component:default/api',
          environment: 'prod',
        }),
      ).toEqual([]);
    });
  },
);
