import {
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { ensurePostgres } from '../testUtils/postgres';
import { jsonBody } from '../http/jsonBody';
import {
  ENTITY_REF,
  Harness,
  auth,
  createHarness,
} from '../changes/__testUtils__/harness';
import { ArgoApplication } from '../argocd/types';
import { EntityAccess } from '../changes/EntityAccess';
import { readGitopsConfig } from '../config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { VerificationService } from './VerificationService';
import { VerificationStore } from './VerificationStore';
import { createVerificationRouter } from './createVerificationRouter';

const pg = ensurePostgres();
jest.setTimeout(120_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const GROUPS: Record<string, string[]> = {
  'user:default/erin': ['group:default/qa'],
  'user:default/frank': ['group:default/qa'],
  'user:default/alice': ['group:default/team-a'],
};
const PATH =
  '/entities/component/default/python-api-base/environments/staging/verification';

/** The staging application as Argo CD returns it: the last sync deployed what runs, its PostSync hook succeeded. */
function stagingApp(hookPhase = 'Succeeded'): ArgoApplication {
  return {
    metadata: { name: 'python-api-base-staging' },
    spec: { destination: {} },
    status: {
      history: [{ id: 3, revision: 'c0ffee' }],
      operationState: {
        phase: hookPhase === 'Succeeded' ? 'Succeeded' : 'Failed',
        operation: { sync: { revision: 'c0ffee' } },
        syncResult: {
          revision: 'c0ffee',
          resources: [
            { kind: 'Deployment', name: 'python-api-base', status: 'Synced' },
            {
              kind: 'Job',
              name: 'python-api-base-smoke-test',
              status: 'Synced',
              hookType: 'PostSync',
              hookPhase,
            },
          ],
        },
      },
    },
  } as unknown as ArgoApplication;
}

describe.each(databases.eachSupportedId())('verification routes (%s)', id => {
  let h: Harness;
  let app: express.Express;
  let service: VerificationService;
  let argoApp: ArgoApplication;
  const denied = new Set<string>();

  beforeEach(async () => {
    const knex = await databases.init(id);
    h = await createHarness(knex);
    argoApp = stagingApp();
    denied.clear();
    const store = await VerificationStore.fromKnex(knex);
    const logger = mockServices.logger.mock();
    service = new VerificationService({
      store,
      policies: readGitopsConfig(loadExampleAppConfig()).policies,
      reader: h.reader,
      argo: { getApplication: async () => argoApp },
      entity: (ref, credentials) =>
        EntityAccess.create({
          store: h.store,
          entities: h.entities,
          permissions: h.permissions,
        }).entity(ref, credentials),
      async requireSignOffPermission(
        entityRef,
        credentials: BackstageCredentials,
      ) {
        const user = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        if (denied.has(user))
          throw new NotAllowedError(
            `decidedBy: you are not allowed 'gitops.verification.signoff' on ${entityRef}`,
          );
      },
      logger,
      now: () => h.clock.now,
    });
    // the policy reads the facts through its port, as the plugin wires it
    (h.reader as any).getVerificationFacts = (e: any, env: string) =>
      service.facts(e, env);
    app = express();
    app.use(jsonBody());
    app.use(
      createVerificationRouter({
        httpAuth: mockServices.httpAuth(),
        userInfo: {
          async getUserInfo(credentials: BackstageCredentials) {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
            };
          },
        },
        auditor: h.auditor,
        service,
      }),
    );
    app.use(mockErrorHandler());
  });

  const decide = (user: string, body: object) =>
    request(app).post(PATH).set('Authorization', auth(user)).send(body);
  const prodPreview = () =>
    request(h.app).post('/changes').set('Authorization', auth('alice')).send({
      entityRef: ENTITY_REF,
      environment: 'prod',
      kind: 'promote',
      version: 'v1.2.0',
      preview: true,
    });
  const verifiedCheck = async () =>
    (await prodPreview()).body.checks.find(
      (c: any) => c.id === 'verified-in-staging',
    );

  it('erin (QA) signs off the rc running in staging; the prod preview then passes verified-in-staging; audited', async () => {
    const before = await request(app)
      .get(PATH)
      .set('Authorization', auth('erin'));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      entityRef: ENTITY_REF,
      environment: 'staging',
      configured: true,
      version: 'v1.2.0-rc.2',
      signOff: { status: 'pending', groups: ['group:default/qa'] },
      automated: {
        status: 'pass',
        postSyncHooks: {
          required: true,
          hooks: [
            {
              kind: 'Job',
              name: 'python-api-base-smoke-test',
              phase: 'Succeeded',
            },
          ],
        },
      },
      decisions: [],
      canSignOff: true,
    });
    expect(await verifiedCheck()).toMatchObject({
      status: 'fail',
      message:
        'v1.2.0-rc.2 has not been signed off in staging yet (needs "verified" from group:default/qa)',
    });

    h.clock.now = new Date('2026-11-24T08:00:00Z');
    const res = await decide('erin', {
      version: 'v1.2.0-rc.2',
      decision: 'verified',
      comment: 'checkout and login tested',
    });
    expect(res.status).toBe(201);
    expect(res.body.signOff).toMatchObject({
      status: 'verified',
      decision: {
        decidedBy: 'user:default/erin',
        comment: 'checkout and login tested',
        decidedAt: '2026-11-24T08:00:00.000Z',
      },
    });
    expect(h.auditEvents).toContainEqual({
      eventId: 'verification-decide',
      meta: {
        entityRef: ENTITY_REF,
        environment: 'staging',
        version: 'v1.2.0-rc.2',
        decision: 'verified',
        actor: 'user:default/erin',
        comment: 'checkout and login tested',
      },
      outcome: 'success',
    });
    h.clock.now = new Date('2026-11-24T10:00:00Z');
    expect(await verifiedCheck()).toEqual({
      id: 'verified-in-staging',
      status: 'pass',
      message:
        'v1.2.0-rc.2 was verified in staging by erin 2 h ago (checkout and login tested); its PostSync hooks succeeded (Job/python-api-base-smoke-test); it is Healthy',
    });
    // alice sees it, but may not decide
    const alice = await request(app)
      .get(PATH)
      .set('Authorization', auth('alice'));
    expect(alice.body.canSignOff).toBe(false);
  });

  it('one decision per version: a second verified is 409 naming who decided; a failed revokes; a new request reopens', async () => {
    await decide('erin', { version: 'v1.2.0-rc.2', decision: 'verified' });
    const again = await decide('frank', {
      version: 'v1.2.0-rc.2',
      decision: 'verified',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /^v1\.2\.0-rc\.2 was already verified by erin 0 ms ago/,
    );
    const failed = await decide('frank', {
      version: 'v1.2.0-rc.2',
      decision: 'failed',
      comment: 'payment page broken',
    });
    expect(failed.status).toBe(201);
    expect(await verifiedCheck()).toMatchObject({
      status: 'fail',
      message:
        'v1.2.0-rc.2 failed QA in staging: payment page broken (frank, 0 ms ago)',
    });
    expect(
      (await decide('erin', { version: 'v1.2.0-rc.2', decision: 'verified' }))
        .status,
    ).toBe(409);
    expect(
      (await decide('erin', { version: 'v1.2.0-rc.2', decision: 'requested' }))
        .body.signOff.status,
    ).toBe('pending');
    expect((await verifiedCheck()).status).toBe('fail');
    const ok = await decide('erin', {
      version: 'v1.2.0-rc.2',
      decision: 'verified',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.decisions.map((d: any) => d.decision)).toEqual([
      'verified',
      'requested',
      'failed',
      'verified',
    ]);
    expect((await verifiedCheck()).status).toBe('pass');
    const entity = (await h.entities.getEntity(
      ENTITY_REF,
      mockCredentials.user('user:default/erin'),
    ))!;
    expect([...(await service.verifiedVersions(entity, 'staging'))]).toEqual([
      'v1.2.0-rc.2',
    ]);
  });

  it('nobody signs off a version that is not running there (409 naming the running version)', async () => {
    const res = await decide('erin', {
      version: 'v1.2.0-rc.1',
      decision: 'verified',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'version: staging runs v1.2.0-rc.2, not v1.2.0-rc.1; only the version running there can be signed off',
    );
    expect(h.auditEvents.at(-1)).toMatchObject({
      eventId: 'verification-decide',
      outcome: 'failure',
    });
  });

  it('only the sign-off groups, with the permission, decide', async () => {
    const alice = await decide('alice', {
      version: 'v1.2.0-rc.2',
      decision: 'verified',
    });
    expect(alice.status).toBe(403);
    expect(alice.body.error.message).toBe(
      'decidedBy: user:default/alice is not a member of group:default/qa, who sign off in staging',
    );
    denied.add('user:default/erin');
    const erin = await decide('erin', {
      version: 'v1.2.0-rc.2',
      decision: 'verified',
    });
    expect(erin.status).toBe(403);
    expect(erin.body.error.message).toMatch(/gitops\.verification\.signoff/);
  });

  it('prod has no sign-off; bad bodies are 400 naming the field; hidden entities are 404', async () => {
    const prod = await request(app)
      .post(PATH.replace('staging', 'prod'))
      .set('Authorization', auth('erin'))
      .send({ version: 'v1.1.0', decision: 'verified' });
    expect(prod.status).toBe(400);
    expect(prod.body.error.message).toMatch(
      /^environment: prod has no sign-off in its policy/,
    );
    for (const [body, msg] of [
      [{ decision: 'verified' }, 'version: is required'],
      [
        { version: 'v1.2.0-rc.2', decision: 'ok' },
        'decision: must be verified, failed or requested',
      ],
      [
        { version: 'v1.2.0-rc.2', decision: 'failed' },
        'comment: say what failed: a "failed" needs a comment',
      ],
      [
        { version: '../x', decision: 'verified' },
        'version: must be an image tag such as v1.2.0-rc.2',
      ],
      [
        { version: 'v1', decision: 'verified', extra: 1 },
        'body: unknown field extra',
      ],
    ] as const) {
      const res = await decide('erin', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(msg);
    }
    h.hidden.add('user:default/erin');
    const hidden = await request(app)
      .get(PATH)
      .set('Authorization', auth('erin'));
    expect(hidden.status).toBe(404);
  });

  it('lineage from dev: staging refuses an rc whose X.Y.Z never ran in dev (the example policy)', async () => {
    const preview = (version: string) =>
      request(h.app).post('/changes').set('Authorization', auth('alice')).send({
        entityRef: ENTITY_REF,
        environment: 'staging',
        kind: 'promote',
        version,
        preview: true,
      });
    const lineage = (body: any) =>
      body.checks.find((c: any) => c.id === 'lineage');
    const refused = await preview('v9.9.9-rc.1');
    expect(refused.body.allowed).toBe(false);
    expect(lineage(refused.body)).toEqual({
      id: 'lineage',
      status: 'fail',
      message:
        'no 9.9.9 version ever ran in dev (dev runs v1.3.0-dev.4); staging takes only versions built from what ran in dev',
    });
    const created = await request(h.app)
      .post('/changes')
      .set('Authorization', auth('alice'))
      .send({
        entityRef: ENTITY_REF,
        environment: 'staging',
        kind: 'promote',
        version: 'v9.9.9-rc.1',
      });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(
      /^version: no 9\.9\.9 version ever ran in dev/,
    );
    expect(lineage((await preview('v1.3.0-rc.1')).body)).toMatchObject({
      status: 'pass',
      message: 'v1.3.0-rc.1 shares 1.3.0 with v1.3.0-dev.4, which dev runs now',
    });
  });

  it('a failed PostSync hook fails the automated verification and the prod check', async () => {
    argoApp = stagingApp('Failed');
    await decide('erin', { version: 'v1.2.0-rc.2', decision: 'verified' });
    expect(await verifiedCheck()).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^v1\.2\.0-rc\.2 is not verified in staging yet: PostSync hook Job\/python-api-base-smoke-test Failed/,
      ),
    });
  });
});
