import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ensurePostgres } from '../testUtils/postgres';
import {
  ENTITY_REF,
  Harness,
  auth,
  configWithMinApprovals,
  counts,
  createHarness,
} from './__testUtils__/harness';

const pg = ensurePostgres();
jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
// after TestDatabases' own afterAll (which drops its databases)
afterAll(() => pg.stop());

const prodPromotion = {
  entityRef: ENTITY_REF,
  environment: 'prod',
  kind: 'promote',
  version: 'v1.2.0',
  reason: 'release 1.2.0',
};

describe.each(databases.eachSupportedId())('change routes (%s)', dbId => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(await databases.init(dbId));
  });

  async function create(body: object = prodPromotion, user = 'alice') {
    return request(h.app)
      .post('/changes')
      .set('Authorization', auth(user))
      .send(body);
  }

  describe('create', () => {
    it('preview returns the checks and stores nothing', async () => {
      const res = await create({ ...prodPromotion, preview: true });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        allowed: true,
        requiredApprovals: 1,
        fromVersion: 'v1.1.0',
        version: 'v1.2.0',
      });
      expect(res.body.checks.map((c: any) => `${c.id}:${c.status}`)).toEqual([
        'pipeline-order:pass',
        'forbidden-tag:pass',
        'semver:pass',
        'tag-pattern:pass',
        'source-healthy:pass',
        'previous-environment-healthy:pass',
        'verified-in-staging:pass',
        'image-exists:pass',
        'same-digest:pass',
        'manual-sync:pass',
        'dry-run:pending',
        'approvals:pending',
        'sync-window:pass',
      ]);
      expect(res.body.checks[0]).not.toHaveProperty('field');
      expect(await counts(h.knex)).toEqual({
        requests: 0,
        approvals: 0,
        events: 0,
      });
      expect(h.auditEvents).toEqual([]);
    });

    it('a failing preview says so without an error', async () => {
      const res = await create({
        ...prodPromotion,
        version: 'v9.9.9',
        preview: true,
      });
      expect(res.status).toBe(200);
      expect(res.body.allowed).toBe(false);
    });

    it('stores a prod promotion awaiting approval with its created event and audit', async () => {
      const res = await create();
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        entityRef: ENTITY_REF,
        environment: 'prod',
        kind: 'promote',
        state: 'awaiting_approval',
        version: 'v1.2.0',
        fromVersion: 'v1.1.0',
        sourceEnvironment: 'staging',
        requestedBy: 'user:default/alice',
        reason: 'release 1.2.0',
        override: false,
        requiredApprovals: 1,
        approvals: [],
        expiresAt: '2026-11-25T10:00:00.000Z',
      });
      const detail = await request(h.app)
        .get(`/changes/${res.body.id}`)
        .set('Authorization', auth('bob'));
      expect(detail.status).toBe(200);
      expect(detail.body.events).toHaveLength(1);
      expect(detail.body.events[0]).toMatchObject({
        type: 'created',
        actor: 'user:default/alice',
        data: {
          entityRef: ENTITY_REF,
          environment: 'prod',
          fromVersion: 'v1.1.0',
          toVersion: 'v1.2.0',
          reason: 'release 1.2.0',
          outcome: 'success',
        },
      });
      expect(detail.body.events[0].data).not.toHaveProperty('requesterClaims');
      expect(h.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'change-create',
          outcome: 'success',
        }),
      ]);
      expect(h.onApproved).not.toHaveBeenCalled();
    });

    it('a staging promotion needs no approval: approved at once, hook called', async () => {
      const res = await create({
        ...prodPromotion,
        environment: 'staging',
        version: 'v1.3.0-rc.1',
      });
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('approved');
      expect(h.onApproved).toHaveBeenCalledWith(res.body.id);
    });

    it('one open change per entity and environment: 409 naming the open one', async () => {
      const first = await create();
      const second = await create({ ...prodPromotion }, 'carol');
      expect(second.status).toBe(409);
      expect(second.body.error.message).toContain(
        `environment: ${ENTITY_REF} already has an open change for 'prod' (${first.body.id}, awaiting_approval)`,
      );
    });
  });

  describe('bad input gives a 4xx naming the field and changes nothing', () => {
    const cases: Array<[string, object, number, string | RegExp, string?]> = [
      [
        'unknown entity',
        { entityRef: 'component:default/nope' },
        404,
        'entityRef: no entity component:default/nope in the catalog',
      ],
      [
        'unknown environment',
        { environment: 'qa' },
        400,
        "environment: 'qa' is not an environment of pipeline standard (dev, staging, prod)",
      ],
      [
        'promotion into the first environment',
        { environment: 'dev', version: 'v1.3.0-dev.5' },
        400,
        'environment: dev is the first environment of pipeline standard',
      ],
      [
        'skipping staging',
        { sourceEnvironment: 'dev' },
        400,
        'environment: prod takes versions only from staging, not from dev',
      ],
      [
        'latest',
        { version: 'latest' },
        400,
        "version: 'latest' is a mutable tag and never allowed in prod",
      ],
      [
        'v1.2',
        { version: 'v1.2' },
        400,
        "version: 'v1.2' is not a semantic version",
      ],
      [
        'trailing space',
        { version: '1.2.0 ' },
        400,
        "version: '1.2.0 ' is not a valid tag",
      ],
      [
        'tag not matching the pattern',
        { version: 'v1.2.0-rc.2' },
        400,
        "version: 'v1.2.0-rc.2' does not match prod's tag pattern",
      ],
      [
        'never healthy in staging',
        { version: 'v1.3.0' },
        400,
        'version: v1.3.0 never ran healthy in staging',
      ],
      [
        'entityRef of the wrong type',
        { entityRef: 5 },
        400,
        'entityRef: must be a string',
      ],
      [
        'override of the wrong type',
        { override: 'yes' },
        400,
        'override: must be true or false',
      ],
      [
        'unknown kind',
        { kind: 'deploy' },
        400,
        "kind: must be 'promote', 'sync' or 'rollback'",
      ],
      [
        'missing version',
        { version: undefined },
        400,
        'version: is required to promote',
      ],
      ['unknown field', { extra: 1 }, 400, 'body: unknown field extra'],
      [
        'rollback without target',
        { kind: 'rollback', version: undefined },
        400,
        'rollbackTo: is required to roll back',
      ],
      [
        'rollback to something never deployed',
        {
          kind: 'rollback',
          version: undefined,
          rollbackTo: { version: 'v0.1.0' },
        },
        400,
        "rollbackTo: v0.1.0 is not in prod's deployment history",
      ],
      [
        'entity ref with ../',
        { entityRef: 'component:default/../catalog' },
        400,
        "entityRef: 'component:default/../catalog' is not an entity ref",
      ],
      [
        'entity ref with an encoded slash',
        { entityRef: 'component:default/a%2Fb' },
        400,
        'entityRef: ',
      ],
      [
        'environment with ../',
        { environment: '../prod' },
        400,
        "environment: '../prod' is not an environment name",
      ],
      [
        'environment with an encoded slash',
        { environment: 'prod%2F..' },
        400,
        "environment: 'prod%2F..' is not an environment name",
      ],
      [
        'override without a reason',
        { override: true, reason: ' ' },
        400,
        'reason: an emergency override needs a reason',
        'dave',
      ],
      [
        'override by someone not allowed',
        { override: true },
        400,
        'override: user:default/alice may not request an emergency override for prod',
      ],
    ];
    it.each(
      cases.map(([name, over, status, message, user]) => ({
        name,
        over,
        status,
        message,
        user,
      })),
    )('$name', async ({ over, status, message, user }) => {
      const res = await create({ ...prodPromotion, ...over }, user ?? 'alice');
      expect(res.status).toBe(status);
      expect(res.body.error.message).toEqual(
        expect.stringContaining(String(message)),
      );
      expect(await counts(h.knex)).toEqual({
        requests: 0,
        approvals: 0,
        events: 0,
      });
    });

    it('override without the override permission is 403', async () => {
      h.permissions.denied.add('user:default/dave:override');
      const res = await create(
        { ...prodPromotion, override: true, reason: 'CVE' },
        'dave',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        "override: you are not allowed 'gitops.change.override'",
      );
      expect(await counts(h.knex)).toEqual({
        requests: 0,
        approvals: 0,
        events: 0,
      });
    });

    it('create without the create permission is 403 and audited as a failure', async () => {
      h.permissions.denied.add('user:default/alice:create');
      const res = await create();
      expect(res.status).toBe(403);
      expect(h.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'change-create',
          outcome: 'failure',
        }),
      ]);
    });

    it('a 1 MB body is 413', async () => {
      const res = await create({
        ...prodPromotion,
        reason: 'x'.repeat(1024 * 1024),
      });
      expect(res.status).toBe(413);
      expect(await counts(h.knex)).toEqual({
        requests: 0,
        approvals: 0,
        events: 0,
      });
    });

    it('a body that is not JSON object is 400', async () => {
      const res = await request(h.app)
        .post('/changes')
        .set('Authorization', auth('alice'))
        .set('Content-Type', 'application/json')
        .send('[1,2]');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'body: the body must be a JSON object',
      );
    });

    it.each(['..%2F..%2Fetc', 'not-a-uuid', '%2e%2e'])(
      'GET /changes/%s is 400 naming the id',
      async id => {
        const res = await request(h.app)
          .get(`/changes/${id}`)
          .set('Authorization', auth('bob'));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(
          'id: must be a change id (UUID)',
        );
      },
    );

    it('an unknown change is 404', async () => {
      const res = await request(h.app)
        .post('/changes/00000000-0000-4000-8000-000000000000/approve')
        .set('Authorization', auth('bob'))
        .send({});
      expect(res.status).toBe(404);
      expect(res.body.error.message).toContain(
        'id: change 00000000-0000-4000-8000-000000000000 does not exist',
      );
    });

    it('unauthenticated requests are 401', async () => {
      const res = await request(h.app)
        .post('/changes')
        .set('Authorization', 'Bearer mock-none-token')
        .send(prodPromotion);
      expect(res.status).toBe(401);
    });
  });

  describe('decisions', () => {
    async function decide(
      id: string,
      user: string,
      action = 'approve',
      body: object = {},
    ) {
      return request(h.app)
        .post(`/changes/${id}/${action}`)
        .set('Authorization', auth(user))
        .send(body);
    }

    it('approve inside the window → approved, hook once; repeats are idempotent or 409', async () => {
      const { body: c } = await create();
      expect((await decide(c.id, 'alice')).status).toBe(403); // own request
      const dave = await decide(c.id, 'dave');
      expect(dave.status).toBe(403);
      expect(dave.body.error.message).toContain(
        'approver: user:default/dave is not an approver',
      );
      const bob = await decide(c.id, 'bob', 'approve', { comment: 'lgtm' });
      expect(bob.status).toBe(200);
      expect(bob.body).toMatchObject({
        state: 'approved',
        approvals: [
          {
            approver: 'user:default/bob',
            decision: 'approve',
            comment: 'lgtm',
          },
        ],
      });
      expect(bob.body.approvals[0]).not.toHaveProperty('claims');
      expect(h.onApproved).toHaveBeenCalledTimes(1);
      const again = await decide(c.id, 'bob', 'approve', { comment: 'lgtm' });
      expect(again.status).toBe(200);
      expect(again.body.state).toBe('approved');
      const flip = await decide(c.id, 'bob', 'reject');
      expect(flip.status).toBe(409);
      expect(flip.body.error.message).toContain(
        "decision: you already decided 'approve'",
      );
      const late = await decide(c.id, 'carol');
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('state: change');
      // issue 15: the one who lost is told who decided first
      expect(late.body.error.message).toContain(
        'was already approved by user:default/bob at ',
      );
      expect(late.body.error.message).toContain(
        '; it no longer takes decisions',
      );
      const events = (
        await request(h.app)
          .get(`/changes/${c.id}`)
          .set('Authorization', auth('bob'))
      ).body.events;
      expect(events.map((e: any) => e.type)).toEqual([
        'created',
        'approval',
        'approved',
      ]);
      expect(h.onApproved).toHaveBeenCalledTimes(1);
    });

    it('any reject rejects; later decisions are 409', async () => {
      const { body: c } = await create();
      const r = await decide(c.id, 'carol', 'reject', { comment: 'not today' });
      expect(r.body.state).toBe('rejected');
      const events = (
        await request(h.app)
          .get(`/changes/${c.id}`)
          .set('Authorization', auth('bob'))
      ).body.events;
      expect(events.at(-1)).toMatchObject({
        type: 'rejected',
        actor: 'user:default/carol',
        data: { reason: 'not today', outcome: 'failure' },
      });
      expect((await decide(c.id, 'bob')).status).toBe(409);
      expect(h.onApproved).not.toHaveBeenCalled();
      // the slot is free again
      expect((await create()).status).toBe(201);
    });

    it('approvals after expiry are 409 and expire the change', async () => {
      const { body: c } = await create();
      h.clock.now = new Date('2026-11-25T10:00:01Z');
      const res = await decide(c.id, 'bob');
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'expired at 2026-11-25T10:00:00.000Z',
      );
      const after = await request(h.app)
        .get(`/changes/${c.id}`)
        .set('Authorization', auth('bob'));
      expect(after.body.state).toBe('expired');
      expect(after.body.approvals).toEqual([]);
    });

    it('the scheduler expires overdue changes', async () => {
      const { body: c } = await create();
      expect(await h.expiry.expireOverdue()).toBe(0);
      h.clock.now = new Date('2026-11-26T00:00:00Z');
      expect(await h.expiry.expireOverdue()).toBe(1);
      expect((await h.queries.get(c.id, mockCredentials.service())).state).toBe(
        'expired',
      );
      expect(h.auditEvents.at(-1)).toMatchObject({
        eventId: 'change-expire',
        outcome: 'success',
        meta: { changeId: c.id, entityRef: ENTITY_REF, environment: 'prod' },
      });
    });

    it('approved outside the window waits for it', async () => {
      h.clock.now = new Date('2026-11-27T17:30:00Z');
      const { body: c } = await create();
      h.clock.now = new Date('2026-11-27T18:30:00Z');
      const res = await decide(c.id, 'bob');
      expect(res.body.state).toBe('waiting_for_window');
      const stored = await h.store.getChange(c.id);
      expect(stored!.runAfter).toBe('2026-11-30T06:00:00.000Z');
      expect(h.onApproved).toHaveBeenCalledTimes(1);
      // nothing can claim it before Monday 06:00
      expect(
        await h.store.claimForExecution({
          owner: 'x',
          leaseMs: 1000,
          now: h.clock.now,
        }),
      ).toBeUndefined();
      expect(
        await h.store.claimForExecution({
          owner: 'x',
          leaseMs: 1000,
          now: new Date('2026-11-30T06:00:00Z'),
        }),
      ).toMatchObject({ id: c.id });
    });

    it('emergency override on a Saturday: sre requests with a reason, platform approves, runs now', async () => {
      h.clock.now = new Date('2026-11-28T10:00:00Z');
      const res = await create(
        { ...prodPromotion, override: true, reason: 'CVE-2026-1234 hotfix' },
        'dave',
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        state: 'awaiting_approval',
        override: true,
        requiredApprovals: 1,
      });
      expect(res.body.checks.find((c: any) => c.id === 'sync-window')).toEqual({
        id: 'sync-window',
        status: 'pass',
        message: 'outside the window; bypassed by the emergency override',
      });
      expect(h.auditEvents).toEqual([
        expect.objectContaining({
          eventId: 'change-override',
          outcome: 'success',
        }),
      ]);
      const ok = await decide(res.body.id, 'bob');
      expect(ok.body.state).toBe('approved');
      expect(h.onApproved).toHaveBeenCalledWith(res.body.id);
      expect(await h.reevaluate(res.body.id)).toMatchObject({
        outcome: 'allow',
      });
    });

    it('approving needs the approve permission', async () => {
      const { body: c } = await create();
      h.permissions.denied.add('user:default/bob:approve');
      const res = await decide(c.id, 'bob');
      expect(res.status).toBe(403);
      expect((await h.store.getChange(c.id))!.approvals).toEqual([]);
    });

    it('pending my decision lists only what the caller may still decide', async () => {
      const { body: c } = await create();
      const list = async (u: string) =>
        (
          await request(h.app)
            .get('/approvals/pending')
            .set('Authorization', auth(u))
        ).body.items.map((i: any) => i.id);
      expect(await list('bob')).toEqual([c.id]);
      expect(await list('carol')).toEqual([c.id]);
      expect(await list('alice')).toEqual([]);
      expect(await list('dave')).toEqual([]);
    });

    it('cancel: the requester cancels an open change once', async () => {
      const { body: c } = await create();
      const res = await decide(c.id, 'alice', 'cancel', {
        comment: 'wrong version',
      });
      expect(res.status).toBe(200);
      expect(res.body.state).toBe('cancelled');
      const again = await decide(c.id, 'alice', 'cancel');
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(
        'is cancelled; only awaiting_approval, approved, waiting_for_window changes can be cancelled',
      );
    });

    it('hides changes of entities the caller cannot see in the catalog', async () => {
      const { body: c } = await create();
      h.hidden.add('user:default/carol');
      const list = await request(h.app)
        .get('/changes')
        .set('Authorization', auth('carol'));
      expect(list.body.items).toEqual([]);
      const one = await request(h.app)
        .get(`/changes/${c.id}`)
        .set('Authorization', auth('carol'));
      expect(one.status).toBe(404);
      const pending = await request(h.app)
        .get('/approvals/pending')
        .set('Authorization', auth('carol'));
      expect(pending.body.items).toEqual([]);
      const approve = await request(h.app)
        .post(`/changes/${c.id}/approve`)
        .set('Authorization', auth('carol'))
        .send({});
      expect(approve.status).toBe(404);
      expect((await h.store.getChange(c.id))!.approvals).toEqual([]);
    });

    it('lists by entity and state', async () => {
      const { body: c } = await create();
      const res = await request(h.app)
        .get(
          `/changes?entityRef=${encodeURIComponent(
            ENTITY_REF,
          )}&state=awaiting_approval,approved`,
        )
        .set('Authorization', auth('bob'));
      expect(res.body.items.map((i: any) => i.id)).toEqual([c.id]);
      const none = await request(h.app)
        .get('/changes?state=succeeded')
        .set('Authorization', auth('bob'));
      expect(none.body.items).toEqual([]);
      const bad = await request(h.app)
        .get('/changes?state=done')
        .set('Authorization', auth('bob'));
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('state.0: must be one of');
    });
  });

  describe('re-check before execution', () => {
    it('allows, waits for the window, or denies on fresh state', async () => {
      const { body: c } = await create();
      await request(h.app)
        .post(`/changes/${c.id}/approve`)
        .set('Authorization', auth('bob'))
        .send({});
      expect((await h.reevaluate(c.id)).outcome).toBe('allow');
      // approvals stay valid after approval even when the window waits > 24 h
      h.clock.now = new Date('2026-11-28T10:00:00Z');
      expect(await h.reevaluate(c.id)).toMatchObject({
        outcome: 'wait',
        runAfter: new Date('2026-11-30T06:00:00Z'),
        message: 'outside the window; next opens Mon 06:00 UTC',
      });
      h.clock.now = new Date('2026-11-30T06:00:00Z');
      h.reader.environments[2].application!.autoSync = true;
      const denied = await h.reevaluate(c.id);
      expect(denied.outcome).toBe('deny');
      expect(denied).toMatchObject({
        message: expect.stringContaining('prod has automated sync on'),
      });
    });
  });

  describe('races', () => {
    it('two concurrent creates for one environment: one 201, one 409', async () => {
      const results = await Promise.all([
        create(),
        create(prodPromotion, 'carol'),
      ]);
      expect(results.map(r => r.status).sort()).toEqual([201, 409]);
      expect((await counts(h.knex)).requests).toBe(1);
    });

    it('20 concurrent approvals by different approvers: one transition, one hook call', async () => {
      h = await createHarness(h.knex, { config: configWithMinApprovals(3) });
      const { body: c } = await create();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          request(h.app)
            .post(`/changes/${c.id}/approve`)
            .set('Authorization', auth(`approver${i}`))
            .send({}),
        ),
      );
      for (const r of results) {
        expect([200, 409]).toContain(r.status);
      }
      const detail = (
        await request(h.app)
          .get(`/changes/${c.id}`)
          .set('Authorization', auth('bob'))
      ).body;
      expect(detail.state).toBe('approved');
      expect(
        detail.events.filter((e: any) => e.type === 'approved'),
      ).toHaveLength(1);
      expect(h.onApproved).toHaveBeenCalledTimes(1);
      expect(detail.approvals.length).toBeGreaterThanOrEqual(3);
      // and one execution: concurrent claims resolve to one owner
      const claims = await Promise.all(
        ['a', 'b', 'c', 'd', 'e'].map(owner =>
          h.store.claimForExecution({
            owner,
            leaseMs: 60_000,
            now: h.clock.now,
          }),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
});
