import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';
import { fakeArgo, fixtureApp } from '../state/__testUtils__/fakeArgo';

// The whole plugin as wired in plugin.ts: real read side against a fake
// Argo CD, real policy from config, real store (SQLite), permissions service.

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.changes-SECRET.sig';
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: {
      'gitops/app': 'python-api-base',
      'gitops/pipeline': 'standard',
    },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const config = {
  gitops: {
    argocd: {
      instances: [
        { name: 'local', url: 'http://argo.test', token: TOKEN, timeout: '1s' },
      ],
    },
    cache: { ttl: '0s' },
    defaultPipeline: 'standard',
    // the fixtures carry no binding annotation: the platform binds them to team-a
    bindings: {
      rules: [
        { match: { instances: ['local'] }, owners: ['group:default/team-a'] },
      ],
    },
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'dev', instance: 'local' },
          {
            name: 'staging',
            promotesFrom: 'dev',
            instance: 'local',
            sourceMustBeHealthy: true,
          },
          {
            name: 'prod',
            promotesFrom: 'staging',
            instance: 'local',
            tagPattern: '^v\\d+\\.\\d+\\.\\d+$',
            requireSemver: true,
            sourceMustBeHealthy: true,
            requireRunInPrevious: true,
            manualSyncRequired: true,
            approvals: { min: 1, approvers: ['group:default/platform-team'] },
            writeBack: { method: 'argocd', parameter: 'image.tag' },
          },
        ],
      },
    },
  },
};

const GROUPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/bob': ['group:default/platform-team'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
      };
    },
  }),
});

async function start(permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  server.use(
    ...fakeArgo(
      'http://argo.test',
      [
        fixtureApp('python-api-base-dev', {
          tag: 'v1.3.0-dev.4',
          automated: true,
        }),
        fixtureApp('python-api-base-staging', { tag: 'v1.2.0-rc.2' }),
        fixtureApp('python-api-base-prod', {
          tag: 'v1.1.0',
          sync: 'OutOfSync',
        }),
      ],
      { token: TOKEN },
    ).handlers,
  );
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: [ENTITY] }),
      mockServices.permissions.factory({ result: permission }),
      userInfoFactory,
    ],
  });
  return app;
}

const body = {
  entityRef: 'component:default/python-api-base',
  environment: 'prod',
  kind: 'promote',
  version: 'v1.2.0',
};

describe('change routes in the plugin', () => {
  it('previews and creates a prod promotion against the real read side; the inbox lists it for bob; alice cannot approve her own', async () => {
    const app = await start(AuthorizeResult.ALLOW);
    const preview = await request(app)
      .post('/api/gitops/changes')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send({ ...body, preview: true });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      allowed: true,
      fromVersion: 'v1.1.0',
      requiredApprovals: 1,
    });
    expect(
      preview.body.checks.find(
        (c: any) => c.id === 'previous-environment-healthy',
      ),
    ).toMatchObject({
      status: 'pass',
      message: expect.stringContaining(
        'staging runs v1.2.0-rc.2 (same 1.2.0) and is Healthy',
      ),
    });
    const created = await request(app)
      .post('/api/gitops/changes')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('awaiting_approval');
    const inbox = await request(app)
      .get('/api/gitops/approvals/pending')
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(inbox.body.items.map((i: any) => i.id)).toEqual([created.body.id]);
    const own = await request(app)
      .post(`/api/gitops/changes/${created.body.id}/approve`)
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send({});
    expect(own.status).toBe(403);
    expect(JSON.stringify(created.body)).not.toContain(TOKEN);
  });

  it('shows approvers what the change runs against: application, instance, pipeline and write-back fixed at creation', async () => {
    const app = await start(AuthorizeResult.ALLOW);
    const created = await request(app)
      .post('/api/gitops/changes')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send(body);
    expect(created.status).toBe(201);
    const target = {
      instance: 'local',
      application: 'python-api-base-prod',
      pipeline: 'standard',
      // the environment's write-back, fixed now and compared before it runs
      writeBack: 'argocd parameter image.tag',
    };
    expect(created.body.target).toMatchObject(target);
    const detail = await request(app)
      .get(`/api/gitops/changes/${created.body.id}`)
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(detail.body.target).toMatchObject(target);
    const inbox = await request(app)
      .get('/api/gitops/approvals/pending')
      .set('Authorization', mockCredentials.user.header('user:default/bob'));
    expect(inbox.body.items[0].target).toMatchObject(target);
  });

  it('denied permissions give 403 and store nothing', async () => {
    const app = await start(AuthorizeResult.DENY);
    const res = await request(app)
      .post('/api/gitops/changes')
      .set('Authorization', mockCredentials.user.header('user:default/alice'))
      .send(body);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "entityRef: you are not allowed 'gitops.change.create' on component:default/python-api-base",
    );
    const list = await request(app)
      .get('/api/gitops/changes')
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(list.body.items).toEqual([]);
  });

  it('refuses unauthenticated callers with 401', async () => {
    const app = await start(AuthorizeResult.ALLOW);
    const res = await request(app)
      .post('/api/gitops/changes')
      .set('Authorization', mockCredentials.none.header())
      .send(body);
    expect(res.status).toBe(401);
  });

  it('a wrong policy stops the plugin at startup naming the key path and the reason', async () => {
    const bad = structuredClone(config) as any;
    bad.gitops.pipelines.standard.environments[2].windows = [
      {
        kind: 'allow',
        schedule: '0 6 * * 1-5',
        duration: '12h',
        timeZone: 'Mars/Olympus',
      },
    ];
    await expect(
      startTestBackend({
        features: [
          gitopsPlugin,
          mockServices.rootConfig.factory({ data: bad }),
          catalogServiceMock.factory({ entities: [ENTITY] }),
        ],
      }),
    ).rejects.toThrow(
      "Invalid config at 'gitops.pipelines.standard.environments[2].windows[0].timeZone': unknown time zone 'Mars/Olympus'",
    );
  });
});
