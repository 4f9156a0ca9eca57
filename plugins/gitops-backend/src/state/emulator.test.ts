/* Integration tests of the read side against the real Argo CD emulator (HTTP, git, Kubernetes slice). */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import {
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import request from 'supertest';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { argoCdClientServiceRef } from '../argocd/argoCdClientServiceRef';
import { readArgoCdInstances } from '../argocd/config';
import { ReadCache } from '../cache/ReadCache';
import { gitopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'python-api-base',
      namespace: 'default',
      annotations: {
        'gitops/app': 'python-api-base',
        'gitops/pipeline': 'standard',
        'gitops/helm-release': 'shop/python-api-base-migrations',
      },
    },
    spec: {},
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'payments-worker',
      namespace: 'default',
      annotations: {
        'argocd/app-selector': 'app.kubernetes.io/part-of=payments-worker',
        'argocd/instance-name': 'secondary',
        'gitops/pipeline': 'fast-track',
      },
    },
    spec: {},
  },
];

let local: EmulatorHandle;
let secondary: EmulatorHandle;

beforeAll(async () => {
  [local, secondary] = await Promise.all([
    startEmulator({ port: 0, instance: 'local' }),
    startEmulator({
      port: 0,
      instance: 'secondary',
      users: { admin: 'emulator-SECRET-pw' },
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([local?.stop(), secondary?.stop()]);
});

afterEach(() => {
  local.setFaults({}, true);
  secondary.setFaults({}, true);
});

function config(ttl: string, mirror = false) {
  return {
    gitops: {
      argocd: {
        instances: [
          { name: 'local', url: local.url, token: local.token, timeout: '10s' },
          {
            name: 'secondary',
            url: secondary.url,
            username: 'admin',
            password: 'emulator-SECRET-pw',
            timeout: '10s',
          },
        ],
      },
      helm: {
        clusters: [{ name: 'local', url: local.url, token: local.kubeToken }],
      },
      cache: { ttl },
      // The direct path (through the cache) unless a test turns the mirrors on.
      mirror: { enabled: mirror },
      // The migrations release lives outside the applications' namespaces.
      bindings: {
        rules: [
          {
            match: { projects: ['shop'], names: ['python-api-base-*'] },
            entities: ['component:default/python-api-base'],
            helmNamespaces: ['shop'],
          },
        ],
      },
      defaultPipeline: 'standard',
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

async function start(ttl = '0s', mirror = false) {
  const data = config(ttl, mirror);
  const client = ArgoCdClient.create({
    instances: readArgoCdInstances(new ConfigReader(data)),
    cache: ReadCache.create({
      defaultTtlMs: ttl === '0s' ? 0 : 60_000,
      cache: mapCache(),
    }),
  });
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: ENTITIES }),
      createServiceFactory({
        service: argoCdClientServiceRef,
        deps: {},
        factory: () => client,
      }),
    ],
  });
  return { server, client };
}

const base = '/api/gitops/entities/component/default';

describe('read side against the Argo CD emulator', () => {
  it('reads the three environments of python-api-base (gitops/app) with versions', async () => {
    const { server } = await start();
    const res = await request(server).get(
      `${base}/python-api-base/environments`,
    );
    expect(res.status).toBe(200);
    const body = res.body as EntityGitOpsState;
    expect(body.environments.map(e => e.application?.name)).toEqual([
      'python-api-base-dev',
      'python-api-base-staging',
      'python-api-base-prod',
    ]);
    for (const env of body.environments) {
      expect(env.error).toBeUndefined();
      expect(env.application?.instance).toBe('local');
      expect(env.syncStatus).toBeDefined();
      expect(env.health?.status).toBeDefined();
      expect(env.version).toMatch(/^v\d+\.\d+\.\d+/);
      expect(env.images.length).toBeGreaterThan(0);
      expect(env.lastDeployedAt).toBeDefined();
    }
    expect(body.environments[0].version).toMatch(/-dev\.\d+$/);
    expect(body.environments[1].version).toMatch(/-rc\.\d+$/);
  });

  it('reads payments-worker (argocd/app-selector on the secondary instance, session auth)', async () => {
    const { server, client } = await start();
    const res = await request(server).get(
      `${base}/payments-worker/environments`,
    );
    expect(res.status).toBe(200);
    expect(
      res.body.environments.map((e: any) => [e.name, e.application?.name]),
    ).toEqual([
      ['dev', 'payments-worker-dev'],
      ['prod', 'payments-worker-prod'],
    ]);
    expect(client.getStats().sessionsCreated).toBe(1);
  });

  it('merges Argo CD history (commit author and message from the server) with the Helm release history', async () => {
    const { server } = await start();
    const res = await request(server).get(
      `${base}/python-api-base/environments/prod/history`,
    );
    expect(res.status).toBe(200);
    const body = res.body as EnvironmentHistory;
    expect(body.errors).toEqual([]);
    const argo = body.items.filter(i => i.source === 'argocd');
    expect(argo.length).toBeGreaterThan(0);
    expect(argo[0].commit?.author).toBeTruthy();
    expect(argo[0].commit?.message).toBeTruthy();
    const helm = body.items.filter(i => i.source === 'helm');
    expect(helm.map(h => h.helm?.status)).toEqual([
      'deployed',
      'superseded',
      'superseded',
    ]);
    expect(helm[0].helm).toMatchObject({
      release: 'python-api-base-migrations',
      namespace: 'shop',
    });
  });

  it('serves diff and resources', async () => {
    const { server } = await start();
    const diff = await request(server).get(
      `${base}/python-api-base/environments/prod/diff`,
    );
    expect(diff.status).toBe(200);
    expect(diff.body.items.length).toBeGreaterThan(0);
    const resources = await request(server).get(
      `${base}/python-api-base/environments/prod/resources`,
    );
    expect(resources.status).toBe(200);
    expect(resources.body.items.some((r: any) => r.kind === 'Deployment')).toBe(
      true,
    );
  });

  it('isolates the secondary instance when it is down', async () => {
    secondary.setFaults({ down: true });
    const { server } = await start();
    const [a, b] = await Promise.all([
      request(server).get(`${base}/python-api-base/environments`),
      request(server).get(`${base}/payments-worker/environments`),
    ]);
    expect(a.status).toBe(200);
    expect(a.body.environments.every((e: any) => !e.error)).toBe(true);
    expect(b.status).toBe(200);
    for (const env of b.body.environments) {
      expect(env.error).toMatchObject({
        name: 'ServiceUnavailableError',
        instance: 'secondary',
      });
    }
    const text = JSON.stringify([a.body, b.body]);
    expect(text).not.toContain(local.token);
    expect(text).not.toContain('emulator-SECRET-pw');
  });

  it('caches and coalesces: 30 concurrent page loads cost what one page load costs', async () => {
    local.setFaults({ latencyMs: 50 });
    const single = await start('1m');
    expect(
      (await request(single.server).get(`${base}/python-api-base/environments`))
        .status,
    ).toBe(200);
    const perPage = single.client.getStats().byInstance.local;
    expect(perPage).toBeGreaterThanOrEqual(3); // one read per environment (+ window reads when wired)

    const { server, client } = await start('1m');
    const responses = await Promise.all(
      Array.from({ length: 30 }, () =>
        request(server).get(`${base}/python-api-base/environments`),
      ),
    );
    expect(responses.every(r => r.status === 200)).toBe(true);
    expect(client.getStats().byInstance.local).toBe(perPage);
    await request(server).get(`${base}/python-api-base/environments`);
    expect(client.getStats().byInstance.local).toBe(perPage);
  });
});

describe('read side with the application mirrors', () => {
  it('once the mirrors are live, views read every environment from them and call Argo CD for no application', async () => {
    const { server, client } = await start('1m', true);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await request(server).get('/api/gitops/mirror/status');
      expect(status.status).toBe(200);
      if (status.body.items.every((i: any) => i.live)) break;
      if (Date.now() > deadline) throw new Error('mirrors not live in time');
      await new Promise(r => setTimeout(r, 20));
    }
    const view = async () => {
      const [a, b] = await Promise.all([
        request(server).get(`${base}/python-api-base/environments`),
        request(server).get(`${base}/payments-worker/environments`),
      ]);
      return [...a.body.environments, ...b.body.environments].map((e: any) => [
        e.application?.name,
        e.freshness,
        e.error?.name,
      ]);
    };
    const first = await view(); // warms what is not an application (windows, projects)
    expect(first).toEqual([
      ['python-api-base-dev', { source: 'mirror', stale: false }, undefined],
      [
        'python-api-base-staging',
        { source: 'mirror', stale: false },
        undefined,
      ],
      ['python-api-base-prod', { source: 'mirror', stale: false }, undefined],
      ['payments-worker-dev', { source: 'mirror', stale: false }, undefined],
      ['payments-worker-prod', { source: 'mirror', stale: false }, undefined],
    ]);
    const calls = client.getStats().upstreamCalls;
    for (let i = 0; i < 5; i++) expect(await view()).toEqual(first);
    expect(client.getStats().upstreamCalls).toBe(calls);
  });

  it('with live mirrors and held AppProjects, window states cost no Argo CD call either (even uncached)', async () => {
    // TTL 0: nothing is reused, every view computes every window state.
    const { server, client } = await start('0s', true);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const status = await request(server).get('/api/gitops/mirror/status');
      if (status.body.items.every((i: any) => i.live && i.projects?.listedAt)) {
        break;
      }
      if (Date.now() > deadline) throw new Error('mirrors not live in time');
      await new Promise(r => setTimeout(r, 20));
    }
    const calls = client.getStats().upstreamCalls;
    for (let i = 0; i < 3; i++) {
      const res = await request(server).get(
        `${base}/python-api-base/environments`,
      );
      expect(res.status).toBe(200);
      const windows = res.body.environments.map((e: any) => [
        e.name,
        e.freshness?.source,
        typeof e.window?.argoCdCanSync,
      ]);
      // The shop project has a window for *-prod only: Argo CD's verdict is
      // there for prod, and dev/staging have no window at all.
      expect(windows).toEqual([
        ['dev', 'mirror', 'undefined'],
        ['staging', 'mirror', 'undefined'],
        ['prod', 'mirror', 'boolean'],
      ]);
      const payments = await request(server).get(
        `${base}/payments-worker/environments`,
      );
      expect(payments.status).toBe(200);
    }
    expect(client.getStats().upstreamCalls).toBe(calls);
  });
});

function mapCache() {
  const store = new Map<string, unknown>();
  return {
    get: async (k: string) => store.get(k),
    set: async (k: string, v: unknown) => void store.set(k, v),
    delete: async (k: string) => void store.delete(k),
    withOptions() {
      return this;
    },
  } as any;
}
