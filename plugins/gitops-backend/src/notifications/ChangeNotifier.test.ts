import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import knexFactory, { Knex } from 'knex';
import { ensurePostgres } from '../testUtils/postgres';
import { ChangeNotifier } from './ChangeNotifier';
import { NotificationOutbox } from './NotificationOutbox';
import { CatalogRecipients } from './recipients';
import { CatalogEntityVisibility } from './visibility';
import { ENTITY_REF, ORG, change } from './__testUtils__/fixtures';
import { ChangeTransition } from './types';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const LINK =
  '/catalog/default/component/python-api-base/gitops?change=6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c01';
const NOW = new Date('2026-11-24T09:30:00.000Z');

describe.each(databases.eachSupportedId())('ChangeNotifier (%s)', id => {
  const pools: Knex[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map(p => p.destroy()));
  });
  async function setup(
    opts: {
      entities?: typeof ORG;
      rule?: (entityRef: string, user: string) => Promise<boolean>;
      send?: (o: NotificationSendOptions) => Promise<void>;
    } = {},
  ) {
    const clock = { now: NOW };
    const knex = await databases.init(id);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const sent: NotificationSendOptions[] = [];
    const notifications = {
      send: jest.fn(async (o: NotificationSendOptions) => {
        if (opts.send) await opts.send(o);
        sent.push(o);
      }),
    };
    const catalog = catalogServiceMock({ entities: opts.entities ?? ORG });
    const auth = mockServices.auth();
    // PostgreSQL: each replica has its own connection pool to the same
    // database; SQLite (in memory): the one connection.
    const ownPool = () => {
      if (!id.startsWith('POSTGRES')) return database;
      const own: Knex = knexFactory(knex.client.config);
      pools.push(own);
      return mockServices.database({ knex: own, migrations: { skip: true } });
    };
    await NotificationOutbox.create({ database }); // migrates
    const replica = async () =>
      new ChangeNotifier({
        outbox: await NotificationOutbox.create({ database: ownPool() }),
        notifications,
        recipients: new CatalogRecipients({ catalog, auth }),
        visibility: new CatalogEntityVisibility({
          catalog,
          auth,
          rule: opts.rule,
        }),
        overrideRefs: () => ['group:default/sre'],
        logger: mockServices.logger.mock(),
        reminderLeadMs: 60 * 60 * 1000,
        now: () => clock.now,
      });
    const notifier = await replica();
    const to = (user: string) =>
      sent
        .filter(s => s.recipients.type === 'entity')
        .filter(s => (s.recipients as any).entityRef === `user:default/${user}`)
        .map(s => s.payload);
    const recipients = () =>
      sent.map(s => (s.recipients as any).entityRef as string).sort();
    return { notifier, replica, sent, to, recipients, notifications, clock };
  }

  it('awaiting approval: every approver (group members, child groups too), not the requester, with entity, versions, reason, checks and the review link', async () => {
    const { notifier, to, recipients } = await setup();
    await notifier.notify({
      change: change(),
      to: 'awaiting_approval',
      actor: 'user:default/alice',
    });
    expect(recipients()).toEqual(['user:default/bob', 'user:default/carol']);
    const [payload] = to('bob');
    expect(payload).toMatchObject({
      title: 'Approval needed: python-api-base promote v1.2.0 to prod',
      link: LINK,
      severity: 'normal',
      topic: `gitops:${ENTITY_REF}`,
      scope: 'gitops:6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c01:created',
      metadata: expect.objectContaining({
        changeId: change().id,
        entityRef: ENTITY_REF,
        environment: 'prod',
        version: 'v1.2.0',
        fromVersion: 'v1.1.0',
      }),
    });
    expect(payload.description).toBe(
      'alice requests to promote v1.2.0 to prod of python-api-base (v1.1.0 → v1.2.0). Reason: release 1.2. Checks: 1 pass, 0 fail, 1 pending (0 of 1 approvals). The request expires at 2026-11-24T10:00:00.000Z.',
    );
  });

  it.each<[ChangeTransition['to'], string, string]>([
    [
      'approved',
      'Approved: python-api-base promote v1.2.0 to prod',
      'bob approved your request',
    ],
    [
      'rejected',
      'Rejected: python-api-base promote v1.2.0 to prod',
      'bob rejected your request to promote v1.2.0 to prod of python-api-base. Comment: not now',
    ],
    [
      'expired',
      'Expired: python-api-base promote v1.2.0 to prod',
      'was not approved before 2026-11-24T10:00:00.000Z',
    ],
  ])('%s → the requester only', async (state, title, text) => {
    const { notifier, sent, to } = await setup();
    await notifier.notify({
      change: change({ state: state as any }),
      from: 'awaiting_approval',
      to: state,
      actor: state === 'expired' ? 'system:gitops' : 'user:default/bob',
      comment: 'not now',
    });
    expect(sent).toHaveLength(1);
    expect(to('alice')[0]).toMatchObject({ title, link: LINK });
    expect(to('alice')[0].description).toContain(text);
  });

  it('waiting for window → the requester, with when it runs (also as metadata.runAfter)', async () => {
    const { notifier, sent, to } = await setup();
    await notifier.notify({
      change: change({
        state: 'waiting_for_window',
        runAfter: '2026-11-24T18:00:00.000Z',
      }),
      from: 'awaiting_approval',
      to: 'waiting_for_window',
      actor: 'user:default/bob',
    });
    expect(sent).toHaveLength(1);
    expect(to('alice')[0].description).toContain(
      'it runs after 2026-11-24T18:00:00.000Z',
    );
    expect(to('alice')[0].metadata?.runAfter).toBe('2026-11-24T18:00:00.000Z');
  });

  it('succeeded → requester and owners (team-a: alice, erin), one each', async () => {
    const { notifier, recipients, to } = await setup();
    await notifier.notify({
      change: change({
        state: 'succeeded',
        result: { commitSha: 'abcdef0123456789' },
      }),
      from: 'executing',
      to: 'succeeded',
      actor: 'system:gitops',
    });
    expect(recipients()).toEqual(['user:default/alice', 'user:default/erin']);
    expect(to('erin')[0].title).toBe(
      'Deployed: python-api-base promote v1.2.0 to prod',
    );
  });

  it('failed → requester and owners, with the failed step and the rollback offer', async () => {
    const { notifier, recipients, to } = await setup();
    await notifier.notify({
      change: change({
        state: 'failed',
        result: {
          failedStep: 'sync',
          message: 'the application ended Degraded',
          rollbackOffered: true,
        },
      }),
      from: 'executing',
      to: 'failed',
      actor: 'system:gitops',
    });
    expect(recipients()).toEqual(['user:default/alice', 'user:default/erin']);
    expect(to('alice')[0].description).toBe(
      "promote v1.2.0 to prod of python-api-base failed at step sync: the application ended Degraded. A rollback to v1.1.0 is offered on the change's page.",
    );
    expect(to('alice')[0].metadata).toMatchObject({
      failedStep: 'sync',
      rollbackOffered: true,
    });
  });

  it('override requested → approvers and the override group, severity high; executed likewise, the requester once', async () => {
    const { notifier, sent, recipients, to } = await setup();
    const c = change({ override: true, reason: 'outage' });
    await notifier.notify({
      change: c,
      to: 'awaiting_approval',
      actor: c.requestedBy,
    });
    expect(recipients()).toEqual([
      'user:default/bob',
      'user:default/carol',
      'user:default/dave',
    ]);
    expect(sent.every(s => s.payload.severity === 'high')).toBe(true);
    expect(to('dave')[0].title).toBe(
      'Emergency override requested: python-api-base promote v1.2.0 to prod',
    );
    sent.length = 0;
    await notifier.notify({
      change: { ...c, state: 'succeeded' },
      from: 'executing',
      to: 'succeeded',
      actor: 'system:gitops',
    });
    // approvers + sre: override executed (high); requester + owners: succeeded.
    expect(recipients()).toEqual([
      'user:default/alice',
      'user:default/bob',
      'user:default/carol',
      'user:default/dave',
      'user:default/erin',
    ]);
    expect(to('bob')[0]).toMatchObject({
      title:
        'Emergency override executed: python-api-base promote v1.2.0 to prod',
      severity: 'high',
    });
    expect(to('alice')).toHaveLength(1);
    expect(to('alice')[0].severity).toBe('normal');
  });

  it('reminder: approvers who have not decided, within the lead time, once however often the sweep runs', async () => {
    const { notifier, recipients } = await setup();
    const due = change({
      approvals: [{ approver: 'user:default/carol', decision: 'approve' }],
    });
    const later = change({
      id: '6f1c2f5e-3a41-4c3e-9a55-0b7f2a9d1c02',
      expiresAt: '2026-11-24T12:00:00.000Z',
    });
    expect(await notifier.remind([due, later])).toBe(1);
    expect(await notifier.remind([due, later])).toBe(1);
    expect(recipients()).toEqual(['user:default/bob']);
  });

  it('two replicas racing on the same transition: one notification per recipient', async () => {
    const { replica, recipients, notifications } = await setup();
    const replicas = await Promise.all([replica(), replica(), replica()]);
    const t: ChangeTransition = {
      change: change(),
      to: 'awaiting_approval',
      actor: 'user:default/alice',
    };
    await Promise.all(replicas.flatMap(r => [r.notify(t), r.notify(t)]));
    expect(recipients()).toEqual(['user:default/bob', 'user:default/carol']);
    expect(notifications.send).toHaveBeenCalledTimes(2);
  });

  it('nothing for an entity the catalog does not have, nor for a recipient the visibility rule hides', async () => {
    const gone = await setup({
      entities: ORG.filter(e => e.kind !== 'Component'),
    });
    await gone.notifier.notify({ change: change(), to: 'awaiting_approval' });
    expect(gone.sent).toEqual([]);
    const hidden = await setup({
      rule: async (_e, u) => u !== 'user:default/bob',
    });
    await hidden.notifier.notify({ change: change(), to: 'awaiting_approval' });
    expect(hidden.recipients()).toEqual(['user:default/carol']);
  });

  it('a failed send is retried by the sweep and then sent once', async () => {
    let fail = true;
    const { notifier, sent, clock } = await setup({
      send: async () => {
        if (fail) throw new Error('notifications backend unavailable');
      },
    });
    await notifier.notify({
      change: change({ state: 'approved' }),
      from: 'awaiting_approval',
      to: 'approved',
      actor: 'user:default/bob',
    });
    expect(sent).toEqual([]);
    fail = false;
    // not due yet (backoff of 30 s)
    expect(await notifier.deliverDue()).toBe(0);
    clock.now = new Date(NOW.getTime() + 31_000);
    expect(await notifier.deliverDue()).toBe(1);
    expect(await notifier.deliverDue()).toBe(0);
    expect(sent.map(s => (s.recipients as any).entityRef)).toEqual([
      'user:default/alice',
    ]);
  });
});
