import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { ArgoApplication } from '../argocd/types';
import {
  auth,
  createHarness,
  ENTITY_REF,
} from '../changes/__testUtils__/harness';
import { ChangeExecutor } from './ChangeExecutor';
import { FAST_SETTINGS } from './e2e/__testUtils__/harness';
import { ExecutionArgoClient } from './StepContext';
import { systemClock } from './types';

/**
 * How often one approval-to-success reads the catalog and the change row.
 * Before the refactor: catalog 5 (decision visibility, window lookup after
 * the approval, target resolution, precheck, recheck), change row 6 (router
 * audit, decision, requester claims after the decision, executor progress,
 * claims in each re-check). Now the entity read for the decision serves the window
 * lookup, the executor's entity serves both re-checks, and the claims are a
 * column.
 */
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const app = (): ArgoApplication => ({
  metadata: { name: 'python-api-base-prod' },
  spec: { project: 'shop', destination: {} },
  status: {
    sync: { status: 'Synced', revision: 'abc' },
    health: { status: 'Healthy' },
    summary: { images: ['example.org/shop/python-api-base:v1.2.0'] },
  },
});

describe('reads of one approval-to-success', () => {
  it('reads the catalog twice and the change row twice', async () => {
    const h = await createHarness(await databases.init('SQLITE_3'));
    const created = await request(h.app)
      .post('/changes')
      .set('Authorization', auth('alice'))
      .send({
        entityRef: ENTITY_REF,
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
        reason: 'release 1.2.0',
      });
    expect(created.status).toBe(201);

    const catalog = jest.spyOn(h.entities, 'getEntity');
    const getChange = jest.spyOn(h.store, 'getChange');
    const getDetail = jest.spyOn(h.store, 'getChangeDetail');

    const approved = await request(h.app)
      .post(`/changes/${created.body.id}/approve`)
      .set('Authorization', auth('bob'))
      .send({});
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('approved');

    const argo = {
      getApplication: async () => app(),
      getManagedResources: async () => ({ items: [] }),
      patchApplication: async () => app(),
      sync: async () => app(),
    } as unknown as ExecutionArgoClient;
    const executor = ChangeExecutor.create({
      services: {
        store: h.store,
        argo,
        policy: h.policy,
        settings: {
          ...FAST_SETTINGS,
          pollIntervalMs: 5,
          maxPollIntervalMs: 20,
        },
        // the harness's clock: Tuesday 10:00 UTC, inside the prod window
        clock: { now: () => h.clock.now, sleep: systemClock.sleep },
        logger: mockServices.logger.mock(),
      },
      // reads the entity once, as ConfigTargetResolver does
      targets: {
        resolve: async change => ({
          instance: 'local',
          application: 'python-api-base-prod',
          writeBack: { method: 'argocd', parameter: 'image.tag' },
          dryRunRequired: false,
          prune: false,
          allowDisableAutoSync: false,
          entity: await h.entities.getEntity(
            change.entityRef,
            mockCredentials.service(),
          ),
        }),
      },
    });
    const claimed = (await h.store.claimForExecution({
      id: created.body.id,
      owner: 'me',
      leaseMs: 60_000,
      now: h.clock.now,
    }))!;
    const end = await executor.execute(
      claimed,
      'me',
      new AbortController().signal,
    );
    const detail = (await h.store.getChangeDetail(created.body.id))!;
    expect(`${end} ${detail.state}`).toBe('succeeded succeeded');
    expect(detail.events.filter(e => e.type === 'step.recheck')).toHaveLength(
      1,
    );
    expect(detail.events.filter(e => e.type === 'step.precheck')).toHaveLength(
      1,
    );

    expect(catalog).toHaveBeenCalledTimes(2);
    // every row read goes through getChange (getChangeDetail too); the last
    // one is the test's own: the router's read (reused by the decision) and
    // the executor's progress read remain
    expect(getChange.mock.calls.length - 1).toBe(2);
    expect(getDetail.mock.calls.length - 1).toBe(1);
  });
});
