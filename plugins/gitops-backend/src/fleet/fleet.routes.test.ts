/* GET /fleet: filters, catalog visibility, 400s naming the field, and no Argo CD call for a warm view. */
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { FleetResponse, gitopsApiPaths } from '@internal/plugin-gitops-common';
import express from 'express';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { ReadCache } from '../cache/ReadCache';
import { readGitopsConfig } from '../config';
import { GitOpsStateService } from '../state/GitOpsStateService';
import { fakeArgo } from '../state/__testUtils__/fakeArgo';
import type { OpenChangeSummary } from '../store/openChanges';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { createFleet } from './createFleet';
import { createFleetReadSide } from './fleetReadSide';

const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const ARGO = 'http://argo.test';
const TOKEN = 'fleet-test-token';
const NOW = new Date('2026-12-05T23:00:00Z'); // a Saturday: prod's window is closed

function argoApp(
  entity: string,
  env: string,
  tag: string,
  over: { health?: string; sync?: string; running?: boolean } = {},
): ArgoApplication {
  const name = `${entity}-${env}`;
  return {
    metadata: {
      name,
      namespace: 'argocd',
      annotations: {
        'gitops.backstage.io/entity-ref': `component:default/${entity}`,
      },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/gitops.git',
        path: `apps/${name}`,
      },
      destination: { namespace: 'shop' },
    },
    status: {
      sync: { status: over.sync ?? 'Synced', revision: 'a'.repeat(40) },
      health: { status: over.health ?? 'Healthy' },
      summary: { images: [`images.example.org/shop/${entity}:${tag}`] },
      ...(over.running
        ? {
            operationState: {
              phase: 'Running',
              startedAt: '2026-12-05T22:59:00Z',
              operation: {
                sync: { revision: 'b'.repeat(40) },
                info: [{ name: 'gitops-change', value: 'change-9' }],
              },
            },
          }
        : {}),
      history: [],
    },
  } as ArgoApplication;
}

function component(
  name: string,
  opts: {
    owner?: string;
    system?: string;
    annotations?: Record<string, string>;
    secret?: boolean;
  } = {},
): Entity {
  const owner = opts.owner ?? 'team-a';
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: opts.annotations ?? { 'gitops/app': name },
      ...(opts.secret ? { labels: { secret: 'true' } } : {}),
    },
    spec: { owner, ...(opts.system ? { system: opts.system } : {}) },
    relations: [
      { type: 'ownedBy', targetRef: `group:default/${owner}` },
      ...(opts.system
        ? [{ type: 'partOf', targetRef: `system:default/${opts.system}` }]
        : []),
    ],
  };
}

const ENTITIES = [
  component('api', { system: 'shop' }),
  component('web', { owner: 'team-b', system: 'shop' }),
  component('batch', { owner: 'team-b' }),
  component('secret-api', { secret: true }),
  component('no-gitops', { annotations: {} }),
  component('bad-pipeline', {
    annotations: { 'gitops/app': 'bad', 'gitops/pipeline': 'nope' },
  }),
];

const APPS = [
  argoApp('api', 'dev', 'v1.3.0'),
  argoApp('api', 'staging', 'v1.2.0'),
  argoApp('api', 'prod', 'v1.2.0'),
  argoApp('web', 'dev', 'v2.0.0'),
  argoApp('web', 'staging', 'v2.0.0', { running: true }),
  argoApp('web', 'prod', 'v1.9.0', { health: 'Degraded', sync: 'OutOfSync' }),
  argoApp('batch', 'dev', 'v0.1.0'),
  argoApp('batch', 'staging', 'v0.1.0'),
  argoApp('batch', 'prod', 'v0.1.0'),
  argoApp('secret-api', 'dev', 'v1.0.0'),
  argoApp('secret-api', 'staging', 'v1.0.0'),
  argoApp('secret-api', 'prod', 'v1.0.0'),
];

/** A catalog that hides `secret: true` entities from everyone but alice, as a permission rule would. */
function visibilityCatalog(entities: Entity[]) {
  const inner = catalogServiceMock({ entities });
  const queries: unknown[] = [];
  const catalog = {
    async queryEntities(req: any, options: any) {
      queries.push(req);
      const res = await inner.queryEntities(req, options);
      const principal = options.credentials.principal as {
        userEntityRef?: string;
      };
      const alice = principal.userEntityRef === 'user:default/alice';
      const secret = new Set(
        entities
          .filter(e => e.metadata.labels?.secret === 'true')
          .map(e => e.metadata.name),
      );
      return {
        ...res,
        items: res.items.filter(e => alice || !secret.has(e.metadata.name)),
      };
    },
  };
  return { catalog, queries };
}

/** A live mirror holding `apps` (what ApplicationReads asks of the mirrors). */
function liveMirror(apps: ArgoApplication[]): ApplicationMirrors {
  return {
    enabled: true,
    isLive: () => true,
    getApplication: (_i: string, name: string) =>
      apps.find(a => a.metadata.name === name) ?? null,
    listApplications: () => apps,
  } as unknown as ApplicationMirrors;
}

function start(
  opts: {
    ttlMs?: number;
    open?: OpenChangeSummary[];
    /** The fleet's own read side over a live mirror (as wired in plugin.ts). */
    mirror?: boolean;
  } = {},
) {
  const argo = fakeArgo(ARGO, APPS, { token: TOKEN });
  server.use(...argo.handlers);
  const config = readGitopsConfig(
    new ConfigReader({
      gitops: {
        argocd: {
          instances: [{ name: 'local', url: ARGO, token: TOKEN }],
        },
        defaultPipeline: 'standard',
        pipelines: {
          standard: {
            environments: [
              { name: 'dev', instance: 'local' },
              { name: 'staging', promotesFrom: 'dev', instance: 'local' },
              {
                name: 'prod',
                promotesFrom: 'staging',
                instance: 'local',
                useArgoCdWindows: false,
                windows: [
                  {
                    kind: 'allow',
                    schedule: '0 6 * * 1-5',
                    duration: '12h',
                    timeZone: 'UTC',
                  },
                ],
              },
            ],
          },
        },
      },
    }),
  );
  const client = ArgoCdClient.create({
    instances: config.instances,
    cache: ReadCache.create({ defaultTtlMs: opts.ttlMs ?? 60_000 }),
  });
  const state = opts.mirror
    ? createFleetReadSide({
        client,
        pipelines: config.pipelines,
        bindings: config.bindings,
        mirrors: liveMirror(APPS),
      })
    : GitOpsStateService.create({
        client,
        pipelines: config.pipelines,
        bindings: config.bindings,
      });
  const { catalog, queries } = visibilityCatalog(ENTITIES);
  const storeCalls: string[][] = [];
  const { router } = createFleet({
    httpAuth: mockServices.httpAuth(),
    catalog,
    state,
    changes: {
      async listOpenChanges(refs) {
        storeCalls.push(refs);
        return (opts.open ?? []).filter(c => refs.includes(c.entityRef));
      },
    },
    policies: config.policies,
    now: () => NOW,
  });
  const appServer = express();
  appServer.use(router);
  appServer.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { app: appServer, argo, queries, storeCalls };
}

const PATH = `${gitopsApiPaths.fleet()}`;
const asBob = mockCredentials.user('user:default/bob');
const asAlice = mockCredentials.user('user:default/alice');

async function get(
  app: express.Express,
  query = '',
  creds = asBob,
): Promise<FleetResponse> {
  const res = await request(app)
    .get(`${PATH}${query}`)
    .set(
      'Authorization',
      mockCredentials.user.header(creds.principal.userEntityRef),
    );
  expect(res.status).toBe(200);
  return res.body;
}

describe('GET /fleet', () => {
  it('lists every visible entity with GitOps annotations × environment, with versions, sync, health, operation, change, window and what waits', async () => {
    const { app, queries, storeCalls } = start({
      open: [
        {
          id: 'change-1',
          entityRef: 'component:default/api',
          environment: 'prod',
          state: 'awaiting_approval',
          kind: 'promote',
          version: 'v1.2.0',
        },
      ],
    });
    const body = await get(app);
    expect(body.items.map(i => i.entityRef)).toEqual([
      'component:default/api',
      'component:default/bad-pipeline',
      'component:default/batch',
      'component:default/web',
    ]);
    expect(body.environments).toEqual(['dev', 'staging', 'prod']);
    expect(body.generatedAt).toBe(NOW.toISOString());

    const api = body.items[0];
    expect(api.owners).toEqual(['group:default/team-a']);
    expect(api.system).toBe('system:default/shop');
    expect(api.pipeline).toBe('standard');
    expect(
      api.environments.map(e => [e.name, e.version, e.syncStatus, e.health]),
    ).toEqual([
      ['dev', 'v1.3.0', 'Synced', 'Healthy'],
      ['staging', 'v1.2.0', 'Synced', 'Healthy'],
      ['prod', 'v1.2.0', 'Synced', 'Healthy'],
    ]);
    expect(api.environments[2].pendingChange).toEqual({
      id: 'change-1',
      state: 'awaiting_approval',
      kind: 'promote',
      version: 'v1.2.0',
    });
    expect(api.environments[2].window).toMatchObject({
      open: false,
      nextOpen: '2026-12-07T06:00:00.000Z',
    });
    expect(api.environments[0].window).toBeUndefined();
    expect(api.waiting).toEqual([
      { from: 'dev', to: 'staging', version: 'v1.3.0', current: 'v1.2.0' },
    ]);
    expect(api.states).toEqual([
      'pending-change',
      'blocked-by-window',
      'promotable',
    ]);

    const web = body.items[3];
    expect(web.environments[1].operation).toMatchObject({
      phase: 'Running',
      changeId: 'change-9',
    });
    expect(web.environments[2]).toMatchObject({
      syncStatus: 'OutOfSync',
      health: 'Degraded',
    });
    expect(web.waiting).toEqual([
      { from: 'staging', to: 'prod', version: 'v2.0.0', current: 'v1.9.0' },
    ]);

    const bad = body.items[1];
    expect(bad.environments).toEqual([]);
    expect(bad.error).toMatchObject({ name: 'InputError' });
    expect(bad.error?.message).toContain("'nope'");

    // one catalog query and one store read for all entities
    expect(queries).toHaveLength(1);
    expect(storeCalls).toHaveLength(1);
    expect(storeCalls[0]).toHaveLength(4);
  });

  it('an entity the caller cannot see is absent (and its changes are not read)', async () => {
    const { app, storeCalls } = start();
    const bob = await get(app, '', asBob);
    expect(bob.items.map(i => i.entityRef)).not.toContain(
      'component:default/secret-api',
    );
    expect(storeCalls[0]).not.toContain('component:default/secret-api');
    const alice = await get(app, '', asAlice);
    expect(alice.items.map(i => i.entityRef)).toContain(
      'component:default/secret-api',
    );
  });

  it.each([
    ['?owner=team-b', ['batch', 'web']],
    ['?owner=group:default/team-b', ['batch', 'web']],
    ['?owner=GROUP:default/Team-B', ['batch', 'web']],
    ['?system=shop', ['api', 'web']],
    ['?owner=team-b&system=shop', ['web']],
    ['?owner=nobody', []],
    ['?state=degraded', ['web']],
    ['?state=out-of-sync', ['web']],
    ['?state=promotable', ['api', 'web']],
    ['?state=blocked-by-window', ['api', 'batch', 'web']],
    ['?state=degraded,promotable', ['api', 'web']],
    ['?state=degraded|promotable', ['api', 'web']],
    ['?state=degraded&state=pending-change', ['web']],
    ['?owner=team-a&state=promotable', ['api']],
  ])('filters %s', async (query, names) => {
    const { app } = start();
    const body = await get(app, query);
    expect(body.items.map(i => i.entityRef.split('/')[1])).toEqual(names);
  });

  it('pending-change filters on the open changes', async () => {
    const { app } = start({
      open: [
        {
          id: 'c2',
          entityRef: 'component:default/batch',
          environment: 'staging',
          state: 'executing',
          kind: 'sync',
        },
      ],
    });
    const body = await get(app, '?state=pending-change');
    expect(body.items.map(i => i.entityRef)).toEqual([
      'component:default/batch',
    ]);
  });

  it.each([
    [
      '?state=late',
      /^Invalid query: state: 'late' is not one of out-of-sync, /,
    ],
    ['?state=degraded,nope', /^Invalid query: state: 'nope' is not one of/],
    ['?owner=', /^Invalid query: owner: must not be empty/],
    ['?owner=a&owner=b', /^Invalid query: owner: must be given once as text/],
    [
      '?system=a:b:c/d',
      /^Invalid query: system: 'a:b:c\/d' is not an entity ref \(invalid namespace\)/,
    ],
    ['?owner=:x', /^Invalid query: owner: ':x' is not an entity ref/],
    ['?colour=red', /^Invalid query: colour: is not a query parameter/],
  ])('400 naming the field for %s', async (query, message) => {
    const { app, queries } = start();
    const res = await request(app)
      .get(`${PATH}${query}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
    expect(queries).toHaveLength(0);
  });

  it('401 without credentials', async () => {
    const { app } = start();
    const res = await request(app)
      .get(PATH)
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('with a live mirror, even the first fleet view makes zero Argo CD calls (applications from the mirror, windows evaluated from the policy)', async () => {
    const { app, argo } = start({ ttlMs: 0, mirror: true });
    const body = await get(app);
    expect(argo.calls).toEqual([]);
    expect(body.items.map(i => i.entityRef.split('/')[1])).toEqual([
      'api',
      'bad-pipeline',
      'batch',
      'web',
    ]);
    expect(body.items[0].environments.map(e => e.version)).toEqual([
      'v1.3.0',
      'v1.2.0',
      'v1.2.0',
    ]);
    expect(body.items[0].environments[2].window?.open).toBe(false);
    await get(app, '?state=promotable');
    expect(argo.calls).toEqual([]);
  });

  it('a fleet view from a warm source makes zero Argo CD calls', async () => {
    const { app, argo } = start({ ttlMs: 60_000 });
    await get(app); // warms the read side
    expect(argo.calls.length).toBeGreaterThan(0);
    argo.calls.length = 0;
    const body = await get(app, '?state=promotable');
    expect(body.items.length).toBe(2);
    await get(app);
    expect(argo.calls).toEqual([]);
  });
});
