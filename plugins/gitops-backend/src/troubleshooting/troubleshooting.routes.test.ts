import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  LogStreamLine,
  gitopsTroubleshootingPaths,
} from '@internal/plugin-gitops-common';
import express from 'express';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { ReadCache } from '../cache/ReadCache';
import { readPipelines } from '../config/readPipelines';
import { GitOpsStateService } from '../state/GitOpsStateService';
import {
  APP,
  POD,
  RS,
  endlessLogs,
  logLines,
  troubledArgo,
} from './__testUtils__/argoFixtures';
import { createTroubleshooting } from './createTroubleshooting';
import { LogLimits } from './logStream';

// Requests to the test app itself go through.
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const ARGO = 'http://argo.test';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.test-SECRET.sig';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'api',
    namespace: 'default',
    annotations: { 'gitops/app': 'api' },
  },
  spec: { owner: 'team-a' },
};

function start(
  opts: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    limits?: Partial<LogLimits>;
    logs?: (url: URL) => Response;
    eventsStatus?: number;
    entities?: any[];
    /** `gitops.bindings` of the read side (GitOpsStateService). */
    bindings?: BindingConfig;
  } = {},
) {
  const argo = troubledArgo(ARGO, opts);
  server.use(...argo.handlers);
  const client = ArgoCdClient.create({
    instances: [
      {
        name: 'local',
        url: ARGO,
        externalUrl: ARGO,
        token: TOKEN,
        timeoutMs: 2000,
        concurrency: 4,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const state = GitOpsStateService.create({
    client,
    pipelines: readPipelines(
      new ConfigReader({
        gitops: {
          pipelines: {
            standard: {
              environments: [
                { name: 'dev', instance: 'local' },
                { name: 'staging', promotesFrom: 'dev', instance: 'local' },
              ],
            },
          },
        },
      }),
      ['local'],
    ),
    bindings: opts.bindings,
  });
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async reqs =>
    reqs.map(() => ({ result: opts.permission ?? AuthorizeResult.ALLOW })),
  );
  const { router } = createTroubleshooting({
    client,
    state,
    httpAuth: mockServices.httpAuth(),
    catalog: catalogServiceMock({ entities: opts.entities ?? [entity] }),
    permissions,
    limits: opts.limits,
  });
  const app = express();
  app.use(router);
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  app.use(middleware.error());
  return { app, calls: argo.calls, permissions, state };
}

type Part = 'tree' | 'events' | 'logs' | 'operation' | 'out-of-sync';

const path = (part: Part, env = 'staging', name = 'api') =>
  gitopsTroubleshootingPaths.part('component', 'default', name, env, part);

function ndjson(text: string): LogStreamLine[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map(l => JSON.parse(l));
}

describe('GET …/troubleshooting/tree', () => {
  it('nests Deployment → ReplicaSet → Pod with health, sync status, containers and the unhealthy path', async () => {
    const { app } = start();
    const res = await request(app).get(path('tree'));
    expect(res.status).toBe(200);
    expect(res.body.application).toEqual({
      instance: 'local',
      name: APP,
      namespace: 'argocd',
    });
    expect(res.body.health).toBe('Degraded');
    const kinds = res.body.roots.map((n: any) => `${n.kind}/${n.name}`);
    expect(kinds).toEqual([
      'ConfigMap/api-config',
      'Deployment/api',
      'Service/api',
    ]);
    const [missing, dep, svc] = res.body.roots;
    expect(missing).toMatchObject({
      health: { status: 'Missing' },
      syncStatus: 'OutOfSync',
      unhealthyPath: true,
      children: [],
    });
    expect(svc).toMatchObject({ syncStatus: 'Synced', unhealthyPath: false });
    expect(dep).toMatchObject({
      syncStatus: 'OutOfSync',
      unhealthyPath: true,
      health: {
        status: 'Degraded',
        message: 'Deployment "api" exceeded its progress deadline',
      },
    });
    expect(dep.children.map((c: any) => [c.name, c.unhealthyPath])).toEqual([
      [RS, true],
      ['api-old', false],
    ]);
    const pod = dep.children[0].children[0];
    expect(pod).toMatchObject({
      kind: 'Pod',
      name: POD,
      uid: '00000000-0000-4000-a000-000000000003',
      health: { status: 'Degraded' },
      info: expect.arrayContaining([
        { name: 'Status Reason', value: 'ImagePullBackOff' },
      ]),
      containers: [
        { name: 'migrate', init: true },
        { name: 'api' },
        { name: 'proxy' },
      ],
    });
    expect(pod.syncStatus).toBeUndefined();
  });

  it('filters to Degraded (matching nodes and their ancestors)', async () => {
    const { app } = start();
    const res = await request(app)
      .get(path('tree'))
      .query({ health: 'Degraded' });
    expect(res.status).toBe(200);
    expect(res.body.filter).toEqual(['Degraded']);
    const flat: string[] = [];
    const walk = (ns: any[]) =>
      ns.forEach(n => {
        flat.push(`${n.kind}/${n.name}`);
        walk(n.children);
      });
    walk(res.body.roots);
    expect(flat).toEqual([`Deployment/api`, `ReplicaSet/${RS}`, `Pod/${POD}`]);
    const missing = await request(app)
      .get(path('tree'))
      .query({ health: 'Missing,Progressing' });
    expect(missing.body.roots.map((n: any) => n.name)).toEqual(['api-config']);
  });

  it('refuses an unknown health filter, naming the field', async () => {
    const { app, calls } = start();
    const res = await request(app).get(path('tree')).query({ health: 'Sick' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^health\.0: must be a comma-separated list of Degraded, Missing, Progressing/,
    );
    expect(calls.urls).toHaveLength(0);
  });

  it('answers 404 for an entity the caller cannot see and an unknown environment', async () => {
    const { app } = start({ entities: [] });
    expect((await request(app).get(path('tree'))).status).toBe(404);
    const other = start();
    const res = await request(other.app).get(path('tree', 'qa'));
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain("no environment 'qa'");
  });
});

describe('GET …/troubleshooting/events', () => {
  it('lists the events of one resource, newest first, passing the resource to Argo CD', async () => {
    const { app, calls } = start();
    const res = await request(app).get(path('events')).query({
      resourceUID: '00000000-0000-4000-a000-000000000003',
      resourceName: POD,
      resourceNamespace: 'shop',
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((e: any) => e.reason)).toEqual([
      'BackOff',
      'Failed',
    ]);
    expect(res.body.items[1]).toEqual({
      type: 'Warning',
      reason: 'Failed',
      message:
        'Failed to pull image "images.example.org/api:v9.9.9": not found',
      count: 4,
      firstTimestamp: '2026-11-23T10:02:00Z',
      lastTimestamp: '2026-11-23T10:05:00Z',
      involvedObject: {
        kind: 'Pod',
        name: POD,
        namespace: 'shop',
        uid: '00000000-0000-4000-a000-000000000003',
      },
      source: 'kubelet',
    });
    const url = calls.urls.find(u => u.pathname.endsWith('/events'))!;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appNamespace: 'argocd',
      resourceName: POD,
      resourceNamespace: 'shop',
      resourceUID: '00000000-0000-4000-a000-000000000003',
    });
  });

  it('lists the application events without a resource', async () => {
    const { app, calls } = start();
    const res = await request(app).get(path('events'));
    expect(res.status).toBe(200);
    const url = calls.urls.find(u => u.pathname.endsWith('/events'))!;
    expect(url.searchParams.get('resourceName')).toBeNull();
  });

  it('refuses bad parameters before any call', async () => {
    const { app, calls } = start();
    const bad = await request(app)
      .get(path('events'))
      .query({ resourceName: 'Not_A_Name' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^resourceName: must be a DNS-1123 name/,
    );
    const extra = await request(app).get(path('events')).query({ kind: 'Pod' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toBe('query: unknown parameter(s) kind');
    expect(calls.urls).toHaveLength(0);
  });

  it("names the missing Argo CD permission when Argo CD's RBAC refuses", async () => {
    const { app } = start({ eventsStatus: 403 });
    const res = await request(app).get(path('events'));
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('NotAllowedError');
    expect(res.body.error.message).toContain(
      "the Argo CD permission 'applications, get' on 'shop/api-staging'",
    );
  });
});

describe('GET …/troubleshooting/logs', () => {
  it('streams the pod logs as NDJSON, passing pod, namespace, container, tail, since and follow', async () => {
    const { app, calls } = start({
      logs: () => logLines(['starting', 'pulling image']),
    });
    const res = await request(app).get(path('logs')).query({
      podName: POD,
      container: 'proxy',
      tailLines: '50',
      sinceSeconds: '600',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson(res.text)).toEqual([
      {
        type: 'log',
        podName: POD,
        content: 'starting',
        timeStamp: '2026-11-23T10:00:00Z',
      },
      {
        type: 'log',
        podName: POD,
        content: 'pulling image',
        timeStamp: '2026-11-23T10:01:00Z',
      },
      { type: 'end', reason: 'done' },
    ]);
    const url = calls.urls.find(u => u.pathname.endsWith('/logs'))!;
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appNamespace: 'argocd',
      container: 'proxy',
      follow: 'false',
      namespace: 'shop',
      podName: POD,
      sinceSeconds: '600',
      tailLines: '50',
    });
  });

  it('defaults to the first non-init container and the default tail', async () => {
    const { app, calls } = start({
      limits: { defaultTailLines: 123 },
      logs: () => logLines(['x']),
    });
    const res = await request(app).get(path('logs')).query({ podName: POD });
    expect(res.status).toBe(200);
    const url = calls.urls.find(u => u.pathname.endsWith('/logs'))!;
    expect(url.searchParams.get('container')).toBe('api');
    expect(url.searchParams.get('tailLines')).toBe('123');
  });

  it('needs gitops.logs.read on the entity; nothing is asked of Argo CD without it', async () => {
    const { app, calls, permissions } = start({
      permission: AuthorizeResult.DENY,
      logs: () => logLines(['secret']),
    });
    const res = await request(app).get(path('logs')).query({ podName: POD });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "you are not allowed 'gitops.logs.read' on component:default/api",
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({ name: 'gitops.logs.read' }),
          resourceRef: 'component:default/api',
        },
      ],
      expect.anything(),
    );
    expect(calls.urls.some(u => u.pathname.endsWith('/logs'))).toBe(false);
    expect(res.text).not.toContain('secret');
  });

  it("a 403 from Argo CD names the missing Argo CD permission 'logs, get'", async () => {
    const { app } = start();
    const res = await request(app).get(path('logs')).query({ podName: POD });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "Argo CD instance 'local' refused to read the logs of application 'api-staging': the Argo CD account Backstage uses needs the Argo CD permission 'logs, get' on 'shop/api-staging' (Argo CD RBAC: p, <role>, logs, get, shop/api-staging, allow)",
    );
  });

  it('stops at the size bound', async () => {
    const { app } = start({
      limits: { maxBytes: 25 },
      logs: () =>
        logLines(['0123456789', '0123456789', '0123456789', '0123456789']),
    });
    const res = await request(app).get(path('logs')).query({ podName: POD });
    const lines = ndjson(res.text);
    expect(lines.filter(l => l.type === 'log')).toHaveLength(2);
    expect(lines[lines.length - 1]).toMatchObject({
      type: 'end',
      reason: 'limit',
    });
  });

  it('stops a follow at the time bound', async () => {
    const { app } = start({
      limits: { maxDurationMs: 300 },
      logs: () => endlessLogs(20),
    });
    const t0 = Date.now();
    const res = await request(app)
      .get(path('logs'))
      .query({ podName: POD, follow: 'true' });
    const lines = ndjson(res.text);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[lines.length - 1]).toMatchObject({
      type: 'end',
      reason: 'timeout',
    });
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('refuses out-of-bound and unknown parameters, unknown pods and containers', async () => {
    const { app, calls } = start({
      limits: { maxTailLines: 100 },
      logs: () => logLines(['x']),
    });
    const tail = await request(app)
      .get(path('logs'))
      .query({ podName: POD, tailLines: '101' });
    expect(tail.status).toBe(400);
    expect(tail.body.error.message).toBe(
      'tailLines: must be between 1 and 100',
    );
    const since = await request(app)
      .get(path('logs'))
      .query({ podName: POD, sinceSeconds: '-5' });
    expect(since.body.error.message).toBe(
      'sinceSeconds: must be a whole number',
    );
    const noPod = await request(app).get(path('logs'));
    expect(noPod.body.error.message).toBe('podName: is required');
    const follow = await request(app)
      .get(path('logs'))
      .query({ podName: POD, follow: 'yes' });
    expect(follow.status).toBe(400);
    expect(calls.urls).toHaveLength(0);
    const other = await request(app)
      .get(path('logs'))
      .query({ podName: 'someone-else' });
    expect(other.status).toBe(404);
    expect(other.body.error.message).toBe(
      "podName: no pod 'someone-else' in application 'api-staging'",
    );
    const container = await request(app)
      .get(path('logs'))
      .query({ podName: POD, container: 'sidecar' });
    expect(container.status).toBe(400);
    expect(container.body.error.message).toBe(
      "container: pod 'api-7c9d8f6b5d-x2x4z' has no container 'sidecar' (it has 'migrate', 'api', 'proxy')",
    );
    expect(calls.urls.some(u => u.pathname.endsWith('/logs'))).toBe(false);
  });

  it('ends with an error line when Argo CD ends the stream with an error', async () => {
    const { app } = start({
      logs: () =>
        new Response(
          `${JSON.stringify({
            result: { content: 'a', podName: POD },
          })}\n${JSON.stringify({
            error: {
              grpc_code: 2,
              http_code: 500,
              message:
                'container "api" in pod is waiting to start: trying and failing to pull image',
            },
          })}\n`,
        ),
    });
    const res = await request(app).get(path('logs')).query({ podName: POD });
    expect(ndjson(res.text)).toEqual([
      { type: 'log', podName: POD, content: 'a' },
      {
        type: 'error',
        message:
          'Argo CD ended the log stream: container "api" in pod is waiting to start: trying and failing to pull image',
      },
    ]);
  });
});

describe('GET …/troubleshooting/operation', () => {
  it('gives phase, message, per-resource results with the failed hook first, and conditions', async () => {
    const { app } = start();
    const res = await request(app).get(path('operation'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      operation: {
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully',
        startedAt: '2026-11-23T10:00:00Z',
        finishedAt: '2026-11-23T10:01:00Z',
        revision: 'c'.repeat(40),
        initiatedBy: 'alice',
        results: [
          {
            group: 'batch',
            kind: 'Job',
            namespace: 'shop',
            name: 'api-db-migrate',
            status: 'Synced',
            message: 'Job has reached the specified backoff limit',
            hookType: 'PreSync',
            hookPhase: 'Failed',
            syncPhase: 'PreSync',
            failed: true,
          },
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'api',
            status: 'Synced',
            message: 'deployment.apps/api configured',
            hookPhase: 'Running',
            syncPhase: 'Sync',
            failed: false,
          },
        ],
      },
      conditions: [
        {
          type: 'SyncError',
          message: 'Failed sync attempt: one or more objects failed to apply',
          lastTransitionTime: '2026-11-23T10:01:00Z',
        },
      ],
    });
  });
});

describe('GET …/troubleshooting/out-of-sync', () => {
  it('names the causes: a new image tag in Git, a resource missing from the cluster', async () => {
    const { app } = start();
    const res = await request(app).get(path('out-of-sync'));
    expect(res.status).toBe(200);
    expect(res.body.syncStatus).toBe('OutOfSync');
    expect(res.body.targetRevision).toBe('c'.repeat(40));
    expect(res.body.syncedRevision).toBe('b'.repeat(40));
    expect(
      res.body.items.map((i: any) => [i.kind, i.cause, i.explanation]),
    ).toEqual([
      [
        'Deployment',
        'new-image-tag',
        'Image tag v1.0.0 → v9.9.9, v1.0.0 → v9.9.9 in Git (revision ccccccc), not applied yet',
      ],
      [
        'ConfigMap',
        'missing',
        'ConfigMap api-config is in Git but not in the cluster',
      ],
    ]);
    expect(res.body.items[0].diff).toContain('+');
  });
});

describe('troubleshooting follows the binding of the read side', () => {
  // An entity of its own that claims team-a's application in its annotations.
  const rogue = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'rogue',
      namespace: 'default',
      annotations: { 'gitops/app': 'api' },
    },
    spec: { owner: 'team-r' },
  };
  const reads: Array<[Part, Record<string, string>]> = [
    ['tree', {}],
    ['events', {}],
    ['logs', { podName: POD }],
    ['operation', {}],
    ['out-of-sync', {}],
  ];
  /** Argo CD calls other than reading the Application itself (which the binding is decided on). */
  const beyondTheApplication = (calls: { urls: URL[] }) =>
    calls.urls
      .map(u => u.pathname)
      .filter(p => p !== `/api/v1/applications/${APP}`);

  it('an entity the application is not bound to gets nothing of it, and nothing more is asked of Argo CD', async () => {
    const { app, calls } = start({ entities: [entity, rogue] });
    for (const [part, query] of reads) {
      const res = await request(app)
        .get(path(part, 'staging', 'rogue'))
        .query(query);
      expect({ part, status: res.status }).toEqual({ part, status: 403 });
      expect(res.body.error.message).toContain(
        `Argo CD application '${APP}' on instance 'local' is not bound to component:default/rogue`,
      );
      // Nothing of the application's resources, events or logs in the answer.
      expect(Object.keys(res.body)).toEqual(['error', 'request', 'response']);
      expect(JSON.stringify(res.body.error)).not.toContain(POD);
    }
    expect(beyondTheApplication(calls)).toEqual([]);
    // The bound entity still reads it.
    expect((await request(app).get(path('tree'))).status).toBe(200);
  });

  it("applies the read side's gitops.bindings (platform rules, default pipeline), not only the Application's annotation", async () => {
    // The platform maps the application to team-r's entities (no pipeline
    // named: the default pipeline) and ignores the Application's annotation.
    const bindings: BindingConfig = {
      ...DEFAULT_BINDINGS,
      applicationAnnotations: false,
      rules: [
        {
          path: 'gitops.bindings.rules[0]',
          match: { names: [APP] },
          entities: [],
          owners: ['group:default/team-r'],
        },
      ],
      defaultPipeline: 'standard',
    };
    const { app, calls, state } = start({
      entities: [entity, rogue],
      bindings,
    });
    const tree = await request(app).get(path('tree', 'staging', 'rogue'));
    expect(tree.status).toBe(200);
    expect(tree.body.application.name).toBe(APP);
    // The entity the annotation named is no longer bound: refused, as on the state routes.
    const before = calls.urls.length;
    for (const [part, query] of reads) {
      const res = await request(app).get(path(part)).query(query);
      expect({ part, status: res.status }).toEqual({ part, status: 403 });
      expect(res.body.error.message).toContain(
        'is not bound to component:default/api',
      );
    }
    expect(beyondTheApplication({ urls: calls.urls.slice(before) })).toEqual(
      [],
    );
    const envs = await state.getEnvironments(entity as any);
    expect(envs.environments.find(e => e.name === 'staging')?.error).toEqual(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
  });
});
