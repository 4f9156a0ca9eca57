import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gzipSync } from 'zlib';
import { gitopsPlugin } from './plugin';
import { fakeArgo, fixtureApp } from './state/__testUtils__/fakeArgo';

const LOCAL_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.local-SECRET-token.sig';
const SECONDARY_PASSWORD = 'secondary-SECRET-password';
const KUBE_TOKEN = 'kube-SECRET-token';

// Requests to the test backend itself go through.
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const ENTITIES = [
  entity('python-api-base', {
    'gitops/app': 'python-api-base',
    'gitops/pipeline': 'standard',
    'gitops/helm-release': 'shop/python-api-base-migrations',
  }),
  entity('payments-worker', {
    'argocd/app-selector': 'app.kubernetes.io/part-of=payments-worker',
    'argocd/instance-name': 'secondary',
    'gitops/pipeline': 'fast-track',
  }),
  entity('by-name', {
    'argocd/app-name': 'python-api-base-dev,python-api-base-prod',
    'argocd/instance-name': 'local',
  }),
  entity('by-project', {
    'argocd/project-name': 'default',
    'argocd/app-selector': 'app.kubernetes.io/part-of=payments-worker',
    'gitops/pipeline': 'fast-track',
  }),
  entity('docs-site', {}),
];

function config(ttl = '0s') {
  return {
    gitops: {
      argocd: {
        instances: [
          {
            name: 'local',
            url: 'http://argo-local.test',
            externalUrl: 'https://argo.example.com',
            token: LOCAL_TOKEN,
            timeout: '1s',
          },
          {
            name: 'secondary',
            url: 'http://argo-secondary.test',
            username: 'admin',
            password: SECONDARY_PASSWORD,
            timeout: '1s',
          },
        ],
      },
      helm: {
        clusters: [
          { name: 'local', url: 'http://k8s-local.test', token: KUBE_TOKEN },
        ],
      },
      cache: { ttl },
      // These tests count the direct path's calls (the mirror has its own tests).
      mirror: { enabled: false },
      defaultPipeline: 'standard',
      // The fixtures' Applications carry no binding annotation: the platform
      // config binds them to team-a's entities.
      bindings: {
        rules: [
          {
            match: { instances: ['local'] },
            owners: ['group:default/team-a'],
            pipelines: ['standard'],
          },
          {
            match: { instances: ['secondary'] },
            owners: ['group:default/team-a'],
            pipelines: ['fast-track'],
          },
        ],
      },
      pipelines: {
        standard: {
          applicationName: '{app}-{env}',
          environments: [
            { name: 'dev', instance: 'local' },
            { name: 'staging', promotesFrom: 'dev', instance: 'local' },
            { name: 'prod', promotesFrom: 'staging', instance: 'local' },
          ],
        },
        'fast-track': {
          environmentLabel: 'env',
          environments: [
            { name: 'dev', instance: 'secondary' },
            { name: 'prod', promotesFrom: 'dev', instance: 'secondary' },
          ],
        },
      },
    },
  };
}

function helmSecret(revision: number, status: string) {
  const release = {
    name: 'python-api-base-migrations',
    namespace: 'shop',
    version: revision,
    info: {
      status,
      description: `Upgrade ${revision}`,
      last_deployed: `2026-11-0${revision}T12:00:00Z`,
    },
    chart: {
      metadata: {
        name: 'migrations',
        version: `0.${revision}.0`,
        appVersion: `v1.${revision}.0`,
      },
    },
    config: { dbPassword: 'VALUES-SECRET' },
    manifest: 'kind: Job',
  };
  const helm = gzipSync(Buffer.from(JSON.stringify(release))).toString(
    'base64',
  );
  return {
    metadata: {
      name: `sh.helm.release.v1.python-api-base-migrations.v${revision}`,
      namespace: 'shop',
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(helm).toString('base64') },
  };
}

function setupArgo() {
  const local = fakeArgo(
    'http://argo-local.test',
    [
      fixtureApp('python-api-base-dev', {
        tag: 'v1.3.0-dev.4',
        automated: true,
      }),
      fixtureApp('python-api-base-staging', {
        tag: 'v1.3.0-rc.1',
        health: 'Degraded',
      }),
      fixtureApp('python-api-base-prod', {
        tag: 'v1.2.0',
        sync: 'OutOfSync',
        operation: {
          sync: { revision: 'c'.repeat(40) },
          initiatedBy: { username: 'bob' },
          info: [{ name: 'gitops-change', value: 'chg-123' }],
        },
        operationState: {
          phase: 'Running',
          message: 'syncing',
          startedAt: '2026-11-27T10:00:00Z',
        },
      }),
    ],
    { token: LOCAL_TOKEN },
  );
  const secondary = fakeArgo(
    'http://argo-secondary.test',
    [
      fixtureApp('payments-worker-dev', {
        labels: { 'app.kubernetes.io/part-of': 'payments-worker', env: 'dev' },
      }),
      fixtureApp('payments-worker-prod', {
        labels: { 'app.kubernetes.io/part-of': 'payments-worker', env: 'prod' },
      }),
      fixtureApp('other-prod', { labels: { env: 'prod' } }),
    ],
    { username: 'admin', password: SECONDARY_PASSWORD },
  );
  const kubeCalls: string[] = [];
  server.use(
    ...local.handlers,
    ...secondary.handlers,
    http.get(
      'http://k8s-local.test/api/v1/namespaces/:ns/secrets',
      ({ request: req }) => {
        kubeCalls.push(req.url);
        if (req.headers.get('authorization') !== `Bearer ${KUBE_TOKEN}`) {
          return HttpResponse.json(
            {
              kind: 'Status',
              status: 'Failure',
              code: 401,
              message: 'Unauthorized',
            },
            { status: 401 },
          );
        }
        return HttpResponse.json({
          kind: 'SecretList',
          items: [helmSecret(1, 'superseded'), helmSecret(2, 'deployed')],
        });
      },
    ),
  );
  return { local, secondary, kubeCalls };
}

async function start(opts: { ttl?: string; catalog?: any } = {}) {
  const { server: httpServer } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config(opts.ttl) }),
      opts.catalog ?? catalogServiceMock.factory({ entities: ENTITIES }),
    ],
  });
  return httpServer;
}

const base = '/api/gitops/entities/component/default';

describe('gitops read routes', () => {
  it('returns every environment of a gitops/app entity with version, operation and link', async () => {
    const { local } = setupArgo();
    const app = await start();
    const res = await request(app).get(`${base}/python-api-base/environments`);
    expect(res.status).toBe(200);
    const body = res.body as EntityGitOpsState;
    expect(body.entityRef).toBe('component:default/python-api-base');
    expect(body.pipeline).toBe('standard');
    expect(
      body.environments.map(e => [e.name, e.order, e.promotesFrom]),
    ).toEqual([
      ['dev', 0, undefined],
      ['staging', 1, 'dev'],
      ['prod', 2, 'staging'],
    ]);
    const [dev, staging, prod] = body.environments;
    expect(dev.version).toBe('v1.3.0-dev.4');
    expect(dev.application).toMatchObject({
      name: 'python-api-base-dev',
      instance: 'local',
      autoSync: true,
      url: 'https://argo.example.com/applications/argocd/python-api-base-dev',
    });
    expect(dev.lastDeployedBy).toBe('alice');
    expect(dev.lastDeployedAt).toBe('2026-11-02T10:00:00Z');
    expect(staging.health?.status).toBe('Degraded');
    expect(staging.unhealthyResources).toBe(1);
    expect(prod.syncStatus).toBe('OutOfSync');
    expect(prod.operation).toMatchObject({
      phase: 'Running',
      initiatedBy: 'bob',
      changeId: 'chg-123',
      revision: 'c'.repeat(40),
    });
    expect(prod.images).toEqual([
      'images.example.org:5000/shop/python-api-base-prod:v1.2.0',
    ]);
    expect(
      local.calls.filter(c => /^GET \/api\/v1\/applications\/[\w-]+$/.test(c)),
    ).toHaveLength(3);
  });

  it('finds apps by argocd/app-selector + argocd/instance-name, environment from the label', async () => {
    const { secondary } = setupArgo();
    const app = await start();
    const res = await request(app).get(`${base}/payments-worker/environments`);
    expect(res.status).toBe(200);
    expect(res.body.pipeline).toBe('fast-track');
    expect(
      res.body.environments.map((e: any) => [
        e.name,
        e.application?.name,
        e.application?.instance,
      ]),
    ).toEqual([
      ['dev', 'payments-worker-dev', 'secondary'],
      ['prod', 'payments-worker-prod', 'secondary'],
    ]);
    // username/password: one session for all calls
    expect(
      secondary.calls.filter(c => c === 'POST /api/v1/session'),
    ).toHaveLength(1);
  });

  it('finds apps by argocd/app-name (environment from the name template)', async () => {
    setupArgo();
    const app = await start();
    const res = await request(app).get(`${base}/by-name/environments`);
    expect(res.status).toBe(200);
    const envs = res.body.environments;
    expect(envs[0].application.name).toBe('python-api-base-dev');
    expect(envs[1].error).toMatchObject({ name: 'NotFoundError' });
    expect(envs[1].error.message).toContain('argocd/app-name');
    expect(envs[2].application.name).toBe('python-api-base-prod');
  });

  it('finds apps by argocd/project-name with a selector on every instance the pipeline uses', async () => {
    setupArgo();
    const app = await start();
    const res = await request(app).get(`${base}/by-project/environments`);
    expect(res.status).toBe(200);
    expect(res.body.environments.map((e: any) => e.application?.name)).toEqual([
      'payments-worker-dev',
      'payments-worker-prod',
    ]);
  });

  it('isolates an instance that is down: its environments carry an error naming it, others answer', async () => {
    const { local, secondary } = setupArgo();
    local.down = true;
    const app = await start();
    const [a, b] = await Promise.all([
      request(app).get(`${base}/python-api-base/environments`),
      request(app).get(`${base}/payments-worker/environments`),
    ]);
    expect(a.status).toBe(200);
    for (const env of a.body.environments) {
      expect(env.error).toMatchObject({
        name: 'ServiceUnavailableError',
        instance: 'local',
      });
      expect(env.error.message).toContain("'local'");
    }
    expect(b.status).toBe(200);
    expect(b.body.environments.every((e: any) => !e.error)).toBe(true);
    expect(secondary.calls.length).toBeGreaterThan(0);
  });

  it('answers with the error of a slow instance once its timeout passes', async () => {
    const { local } = setupArgo();
    local.delayMs = 5000; // timeout is 1s
    const app = await start();
    const res = await request(app).get(`${base}/python-api-base/environments`);
    expect(res.status).toBe(200);
    expect(res.body.environments[0].error).toMatchObject({
      name: 'ServiceUnavailableError',
      instance: 'local',
    });
    expect(res.body.environments[0].error.message).toContain('did not answer');
  });

  it('refuses unauthenticated callers with 401', async () => {
    setupArgo();
    const app = await start();
    const res = await request(app)
      .get(`${base}/python-api-base/environments`)
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('answers 404 for an entity the caller cannot see, asking the catalog with their credentials', async () => {
    setupArgo();
    const catalog = catalogServiceMock.mock({
      getEntityByRef: jest.fn(async (_ref: any, options: any) =>
        options?.credentials?.principal?.userEntityRef === 'user:default/alice'
          ? ENTITIES[0]
          : undefined,
      ) as any,
    });
    const app = await start({ catalog: catalog.factory });
    const alice = await request(app)
      .get(`${base}/python-api-base/environments`)
      .set('Authorization', mockCredentials.user.header('user:default/alice'));
    expect(alice.status).toBe(200);
    const mallory = await request(app)
      .get(`${base}/python-api-base/environments`)
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/mallory'),
      );
    expect(mallory.status).toBe(404);
    const history = await request(app)
      .get(`${base}/python-api-base/environments/prod/history`)
      .set(
        'Authorization',
        mockCredentials.user.header('user:default/mallory'),
      );
    expect(history.status).toBe(404);
  });

  it('answers 404 for a missing entity, an entity without annotations and an unknown environment', async () => {
    setupArgo();
    const app = await start();
    expect((await request(app).get(`${base}/nope/environments`)).status).toBe(
      404,
    );
    expect(
      (await request(app).get(`${base}/docs-site/environments`)).status,
    ).toBe(404);
    expect(
      (
        await request(app).get(
          `${base}/python-api-base/environments/qa/history`,
        )
      ).status,
    ).toBe(404);
  });

  it('serves history with commit data fetched on the server, merged with Helm releases, values never included', async () => {
    const { local, kubeCalls } = setupArgo();
    const app = await start({ ttl: '1m' });
    const res = await request(app).get(
      `${base}/python-api-base/environments/prod/history`,
    );
    expect(res.status).toBe(200);
    const body = res.body as EnvironmentHistory;
    expect(body.errors).toEqual([]);
    const argo = body.items.filter(i => i.source === 'argocd');
    const helm = body.items.filter(i => i.source === 'helm');
    expect(argo.map(i => i.id)).toEqual(['2', '1']);
    expect(argo[0]).toMatchObject({
      version: 'v1.0.0',
      initiatedBy: 'alice',
      commit: {
        sha: 'a'.repeat(40),
        author: 'Alice <alice@example.com>',
        tags: ['v1.0.0'],
      },
    });
    expect(
      helm.map(h => [h.id, h.helm?.status, h.helm?.chartVersion, h.version]),
    ).toEqual([
      ['2', 'deployed', '0.2.0', 'v1.2.0'],
      ['1', 'superseded', '0.1.0', 'v1.1.0'],
    ]);
    expect(JSON.stringify(body)).not.toContain('VALUES-SECRET');
    expect(kubeCalls[0]).toContain(
      'labelSelector=owner%3Dhelm%2Cname%3Dpython-api-base-migrations',
    );
    // commit metadata is cached by SHA: a second call makes no metadata call
    const metadataCalls = () =>
      local.calls.filter(c => c.includes('/metadata')).length;
    expect(metadataCalls()).toBe(2);
    await request(app).get(
      `${base}/python-api-base/environments/staging/history`,
    );
    await request(app).get(`${base}/python-api-base/environments/prod/history`);
    expect(metadataCalls()).toBe(4); // staging's two rows, prod's from cache
  });

  it('serves a readable diff with Secret data redacted', async () => {
    setupArgo();
    const app = await start();
    const res = await request(app).get(
      `${base}/python-api-base/environments/prod/diff`,
    );
    expect(res.status).toBe(200);
    const [deploy, secret] = res.body.items;
    expect(deploy).toMatchObject({
      kind: 'Deployment',
      change: 'update',
      modified: true,
    });
    expect(deploy.diff).toContain('-  image: x:v1');
    expect(deploy.diff).toContain('+  image: x:v2');
    expect(secret.diff).toContain('<redacted: changed>');
    expect(JSON.stringify(res.body)).not.toContain('c2VjcmV0');
  });

  it('serves resources with health and images', async () => {
    setupArgo();
    const app = await start();
    const res = await request(app).get(
      `${base}/python-api-base/environments/dev/resources`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items[1]).toEqual({
      kind: 'Pod',
      name: 'python-api-base-dev-abc',
      namespace: 'shop',
      health: { status: 'Degraded', message: 'CrashLoopBackOff' },
      images: ['images.example.org/shop/app:v1.0.0'],
      parentRefs: [{ kind: 'ReplicaSet', name: 'python-api-base-dev-rs' }],
    });
  });

  it('caches reads and coalesces concurrent identical requests (counts upstream calls)', async () => {
    const { local } = setupArgo();
    local.delayMs = 50;
    const single = await start({ ttl: '1m' });
    expect(
      (await request(single).get(`${base}/python-api-base/environments`))
        .status,
    ).toBe(200);
    const perPage = local.calls.length;
    expect(
      local.calls.filter(c =>
        /^GET \/api\/v1\/applications\/python-api-base-\w+$/.test(c),
      ),
    ).toHaveLength(3);

    local.calls.length = 0;
    const app = await start({ ttl: '1m' });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app).get(`${base}/python-api-base/environments`),
      ),
    );
    expect(responses.every(r => r.status === 200)).toBe(true);
    expect(local.calls).toHaveLength(perPage); // 20 concurrent requests cost one page's calls
    await request(app).get(`${base}/python-api-base/environments`);
    expect(local.calls).toHaveLength(perPage); // served from cache
  });

  it('never returns or logs the Argo CD token, password or Kubernetes token', async () => {
    setupArgo();
    // the instance echoes the token back in an error body (a 4xx: the
    // message of a 5xx is never passed on at all)
    server.use(
      http.get('http://argo-local.test/api/v1/applications/:name', () =>
        HttpResponse.json(
          {
            error: `bad ${LOCAL_TOKEN}`,
            code: 3,
            message: `bad ${LOCAL_TOKEN}`,
          },
          { status: 400 },
        ),
      ),
    );
    const logs: string[] = [];
    const capture = (level: string) => (message: string, meta?: unknown) => {
      logs.push(
        `${level} ${message} ${
          meta === undefined
            ? ''
            : JSON.stringify(meta, Object.getOwnPropertyNames(meta ?? {}))
        }`,
      );
    };
    const logger: any = {
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
      child: () => logger,
    };
    const { server: app } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({ data: config() }),
        catalogServiceMock.factory({ entities: ENTITIES }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logger,
        }),
      ],
    });
    const bodies = await Promise.all(
      [
        `${base}/python-api-base/environments`,
        `${base}/payments-worker/environments`,
        `${base}/python-api-base/environments/prod/history`,
        `${base}/python-api-base/environments/prod/diff`,
      ].map(async p => JSON.stringify((await request(app).get(p)).body)),
    );
    const text = bodies.join('\n') + logs.join('\n');
    expect(bodies[0]).toContain('[redacted]');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [
      LOCAL_TOKEN,
      'local-SECRET-token',
      SECONDARY_PASSWORD,
      KUBE_TOKEN,
      'session.1.jwt',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
