import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import {
  ENTITY_REF,
  FakePermissions,
  FakeReader,
  MEMBERS,
} from '../changes/__testUtils__/harness';
import { createChanges } from '../changes/createChanges';
import { Caller, EntityLoader } from '../changes/ports';
import { readGitopsConfig } from '../config';
import { PolicyService } from '../policy';
import { DatabaseChangeStore } from '../store/DatabaseChangeStore';
import { ensurePostgres } from '../testUtils/postgres';
import { ChangeNotifier } from './ChangeNotifier';
import { NotificationOutbox } from './NotificationOutbox';
import { NotifyingChangeStore } from './NotifyingChangeStore';
import { CatalogRecipients } from './recipients';
import { CatalogEntityVisibility } from './visibility';
import { ORG } from './__testUtils__/fixtures';

// Two replicas (each its own change service, store wrapper, notifier and, on
// PostgreSQL, connection pool) on one database: every transition is
// notified once per recipient, by the replica whose conditional update won.

const pg = ensurePostgres();
jest.setTimeout(90_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const who = (name: string): Caller => {
  const ref = `user:default/${name}`;
  return {
    credentials: mockCredentials.user(ref),
    userEntityRef: ref,
    claims: [ref, ...(MEMBERS[ref] ?? [])],
  };
};

const entities: EntityLoader = {
  async getEntity(ref) {
    return ref === ENTITY_REF
      ? {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'python-api-base', namespace: 'default' },
          spec: { owner: 'group:default/team-a' },
        }
      : undefined;
  },
};

const body = {
  entityRef: ENTITY_REF,
  environment: 'prod',
  kind: 'promote' as const,
  version: 'v1.2.0',
  reason: 'release 1.2',
};

describe.each(databases.eachSupportedId())('two replicas (%s)', id => {
  const pools: Knex[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map(p => p.destroy()));
  });

  async function setup() {
    const knex = await databases.init(id);
    await DatabaseChangeStore.fromKnex(knex); // migrates
    const clock = { now: new Date('2026-11-24T10:00:00Z') }; // Tuesday, window open
    const sent: NotificationSendOptions[] = [];
    const policies = readGitopsConfig(loadExampleAppConfig()).policies;
    const catalog = catalogServiceMock({ entities: ORG });
    const auth = mockServices.auth();
    const replica = async () => {
      let own = knex;
      if (id.startsWith('POSTGRES')) {
        own = knexFactory(knex.client.config);
        pools.push(own);
      }
      const notifier = new ChangeNotifier({
        outbox: await NotificationOutbox.create({
          database: mockServices.database({ knex: own }),
        }),
        notifications: { send: async o => void sent.push(o) },
        recipients: new CatalogRecipients({ catalog, auth }),
        visibility: new CatalogEntityVisibility({ catalog, auth }),
        overrideRefs: () => ['group:default/sre'],
        logger: mockServices.logger.mock(),
        reminderLeadMs: 60 * 60 * 1000,
        now: () => clock.now,
      });
      const store = new NotifyingChangeStore(
        await DatabaseChangeStore.fromKnex(own, false),
        t => notifier.notify(t),
      );
      const logger = mockServices.logger.mock();
      const policy = PolicyService.create({
        policies,
        reader: new FakeReader(),
        entities,
        logger,
        serviceCredentials: async () => mockCredentials.service(),
      });
      const changes = createChanges({
        store,
        policy,
        entities,
        permissions: new FakePermissions(),
        logger,
        onApproved: async () => {},
        now: () => clock.now,
      });
      return { ...changes, notifier, store };
    };
    const [a, b] = [await replica(), await replica()];
    const to = (user: string, kind?: string) =>
      sent.filter(
        s =>
          (s.recipients as any).entityRef === `user:default/${user}` &&
          (!kind || s.payload.metadata?.notification === kind),
      );
    return { a, b, sent, to, clock };
  }

  it('approvers are told once of the request; two approvers deciding at once: the requester hears "approved" once', async () => {
    const { a, b, to } = await setup();
    const created: any = await a.service.create(body, who('alice'));
    expect(created.state).toBe('awaiting_approval');
    expect(to('bob', 'approval_requested')).toHaveLength(1);
    expect(to('carol', 'approval_requested')).toHaveLength(1);
    expect(to('alice')).toEqual([]);
    const results = await Promise.allSettled([
      a.service.decide(created.id, 'approve', who('bob')),
      b.service.decide(created.id, 'approve', who('carol')),
    ]);
    // the one who lost the race (if any) is told who decided first
    const lost = results.flatMap(r =>
      r.status === 'rejected' ? [String(r.reason)] : [],
    );
    expect(lost.length).toBeLessThan(2);
    expect(
      lost.filter(
        m => !/already approved by user:default\/(bob|carol) at /.test(m),
      ),
    ).toEqual([]);
    expect(results.some(r => r.status === 'fulfilled')).toBe(true);
    expect(to('alice', 'approved')).toHaveLength(1);
    expect(to('alice')).toHaveLength(1);
    expect(to('alice')[0].payload.link).toBe(
      `/catalog/default/component/python-api-base/gitops?change=${created.id}`,
    );
  });

  it('a late approver is told who decided first; a requester who is not an approver hears "you requested this change"', async () => {
    const { a, b } = await setup();
    const created: any = await a.service.create(body, who('alice'));
    await expect(
      a.service.decide(created.id, 'approve', who('alice')),
    ).rejects.toThrow(/you requested this change/);
    await a.service.decide(created.id, 'approve', who('bob'));
    await expect(
      b.service.decide(created.id, 'approve', who('carol')),
    ).rejects.toThrow(
      /^state: change [0-9a-f-]+ was already approved by user:default\/bob at 2026-11-24T10:00:00.000Z; it no longer takes decisions$/,
    );
  });

  it('expiry swept by both replicas at once and reminders sent by both: once each', async () => {
    const { a, b, to, clock } = await setup();
    const created: any = await a.service.create(body, who('alice'));
    clock.now = new Date(Date.parse(created.expiresAt) - 30 * 60_000);
    const open = async () =>
      a.store.listChanges({ states: ['awaiting_approval'] });
    await Promise.all([
      a.notifier.remind(await open()),
      b.notifier.remind(await open()),
    ]);
    expect(to('bob', 'approval_reminder')).toHaveLength(1);
    expect(to('carol', 'approval_reminder')).toHaveLength(1);
    clock.now = new Date(Date.parse(created.expiresAt) + 1000);
    await Promise.all([a.expiry.expireOverdue(), b.expiry.expireOverdue()]);
    expect(to('alice', 'expired')).toHaveLength(1);
    expect(to('alice')).toHaveLength(1);
  });
});
