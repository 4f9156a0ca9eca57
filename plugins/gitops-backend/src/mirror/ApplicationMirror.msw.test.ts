/* The mirror's loop against an HTTP Argo CD (msw): list, events, resume, resync, fallback while the stream is down. */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { readArgoCdInstances } from '../argocd/config';
import { ArgoApplication } from '../argocd/types';
import { ReadCache } from '../cache/ReadCache';
import { DEFAULT_BINDINGS } from '../binding/types';
import { readPipelines } from '../config/readPipelines';
import { GitOpsStateService } from '../state/GitOpsStateService';
import { ApplicationMirrors } from './ApplicationMirrors';
import { clientUpstream } from './applicationMirrorsServiceRef';
import { MirrorChange } from './types';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argo-mirror.test';
const REF = 'gitops.backstage.io/entity-ref';

function app(
  name: string,
  rv: number,
  tag = 'v1',
  bound = true,
): ArgoApplication {
  return {
    metadata: {
      name,
      namespace: 'argocd',
      resourceVersion: String(rv),
      annotations: bound
        ? {
            [REF]: 'component:default/api',
            'gitops.backstage.io/pipeline': 'standard',
          }
        : undefined,
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'r',
        helm: { parameters: [{ name: 'image.tag', value: tag }] },
      },
      destination: {},
    },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  } as ArgoApplication;
}

const tagOf = (a?: ArgoApplication) =>
  a?.spec.source?.helm?.parameters?.[0].value;

/** A fake Argo CD: a list answer, and streams the test writes to. */
function fakeArgo() {
  const enc = new TextEncoder();
  const s = {
    list: {
      resourceVersion: '100',
      items: [app('api-dev', 90), app('other', 95, 'v1', false)],
    },
    lists: [] as URL[],
    streams: [] as Array<{
      url: URL;
      send: (line: string) => void;
      close: () => void;
    }>,
    gets: 0,
    streamStatus: 200,
  };
  server.use(
    http.get(`${BASE}/api/v1/applications`, ({ request }) => {
      s.lists.push(new URL(request.url));
      return HttpResponse.json({
        metadata: { resourceVersion: s.list.resourceVersion },
        items: s.list.items,
      });
    }),
    http.get(`${BASE}/api/v1/applications/:name`, ({ params }) => {
      s.gets += 1;
      const found = s.list.items.find(a => a.metadata.name === params.name);
      return found
        ? HttpResponse.json(found)
        : HttpResponse.json(
            { code: 7, message: 'permission denied' },
            { status: 403 },
          );
    }),
    http.get(`${BASE}/api/v1/stream/applications`, ({ request }) => {
      if (s.streamStatus !== 200) {
        return HttpResponse.json(
          { code: 14, message: 'unavailable' },
          { status: s.streamStatus },
        );
      }
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
        },
      });
      s.streams.push({
        url: new URL(request.url),
        send: line => controller.enqueue(enc.encode(`${line}\n`)),
        close: () => controller.close(),
      });
      return new HttpResponse(body, {
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return s;
}

const event = (type: string, a: unknown) =>
  JSON.stringify({ result: { type, application: a } });

async function until<T>(
  what: string,
  fn: () => T | undefined | false,
): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 5));
  }
}

const instances = readArgoCdInstances(
  new ConfigReader({
    gitops: {
      argocd: {
        instances: [
          { name: 'local', url: BASE, token: 'a.b.c', timeout: '2s' },
        ],
      },
    },
  }),
);

function setup(relistIntervalMs = 0) {
  const client = ArgoCdClient.create({
    instances,
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const mirrors = new ApplicationMirrors({
    instances: ['local'],
    upstream: clientUpstream(client),
    bindings: DEFAULT_BINDINGS,
    config: {
      enabled: true,
      initialBackoffMs: 5,
      maxBackoffMs: 20,
      resyncAfterFailures: 3,
      relistIntervalMs,
    },
  });
  const changes: MirrorChange[] = [];
  mirrors.subscribe(c => changes.push(c));
  return { client, mirrors, changes };
}

let running: ApplicationMirrors | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('ApplicationMirror against an HTTP Argo CD', () => {
  it('lists, then watches from the list resourceVersion with the projection; applies events and skips malformed lines', async () => {
    const argo = fakeArgo();
    const { mirrors, changes } = setup();
    running = mirrors;
    mirrors.start();
    const s1 = await until('stream', () => argo.streams[0]);
    expect(argo.lists[0].searchParams.get('fields')).toMatch(
      /^metadata\.resourceVersion,items\.metadata\.name,/,
    );
    expect(s1.url.searchParams.get('resourceVersion')).toBe('100');
    expect(s1.url.searchParams.get('fields')).toMatch(
      /^result\.type,result\.application\.metadata\.name,/,
    );
    await until('live', () => mirrors.isLive('local'));
    expect(changes.map(c => `${c.type} ${c.appName}`)).toEqual([
      'ADDED api-dev',
    ]); // the unbound app is held, not announced
    expect(mirrors.getApplication('local', 'other')?.status).toBeUndefined();

    s1.send(event('MODIFIED', app('api-dev', 101, 'v2')));
    s1.send(
      '{"result": {"type": "MODIFIED", "application": {"metadata": {}}}}',
    );
    s1.send('not json at all');
    s1.send(event('MODIFIED', app('api-dev', 102, 'v3')));
    await until(
      'v3',
      () =>
        tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined) === 'v3',
    );
    expect(
      changes.map(c => `${c.type} ${c.appName} ${tagOf(c.application)}`),
    ).toEqual([
      'ADDED api-dev v1',
      'MODIFIED api-dev v2',
      'MODIFIED api-dev v3',
    ]);
    expect(mirrors.status()[0]).toMatchObject({
      instance: 'local',
      live: true,
      resourceVersion: '102',
      apps: 2,
      boundApps: 1,
      malformedLines: 2,
      reconnects: 0,
      resyncs: 0,
    });
    expect(mirrors.isLive('local')).toBe(true);
  });

  it('resumes from the last resourceVersion after the stream ends, and re-lists to fill the gap', async () => {
    const argo = fakeArgo();
    const { mirrors, changes } = setup();
    running = mirrors;
    mirrors.start();
    const s1 = await until('stream 1', () => argo.streams[0]);
    await until('live', () => mirrors.isLive('local'));
    s1.send(event('MODIFIED', app('api-dev', 105, 'v2')));
    await until(
      'v2',
      () =>
        tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined) === 'v2',
    );
    // while disconnected, api-dev changes and api-prod appears (Argo CD replays neither)
    argo.list = {
      resourceVersion: '120',
      items: [
        app('api-dev', 110, 'v4'),
        app('api-prod', 111, 'v1'),
        app('other', 95, 'v1', false),
      ],
    };
    s1.close();
    const s2 = await until('stream 2', () => argo.streams[1]);
    expect(s2.url.searchParams.get('resourceVersion')).toBe('105');
    await until('gap filled', () =>
      mirrors.getApplication('local', 'api-prod'),
    );
    expect(tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined)).toBe(
      'v4',
    );
    expect(argo.lists).toHaveLength(2);
    expect(changes.slice(-2).map(c => `${c.type} ${c.appName}`)).toEqual([
      'MODIFIED api-dev',
      'ADDED api-prod',
    ]);
    await until('live again', () => mirrors.isLive('local'));
    expect(mirrors.status()[0]).toMatchObject({ reconnects: 1, resyncs: 0 });
    // events on the resumed stream apply as before
    s2.send(
      event('DELETED', { metadata: { name: 'api-prod', namespace: 'argocd' } }),
    );
    await until(
      'deleted',
      () => mirrors.getApplication('local', 'api-prod') === null,
    );
    expect(changes.at(-1)).toMatchObject({
      type: 'DELETED',
      appName: 'api-prod',
    });
  });

  it('resyncs (full re-list) when the stream says the version is too old', async () => {
    const argo = fakeArgo();
    argo.list.items.push(app('api-old', 91));
    const { mirrors, changes } = setup();
    running = mirrors;
    mirrors.start();
    const s1 = await until('stream 1', () => argo.streams[0]);
    await until('live', () => mirrors.isLive('local'));
    argo.list = { resourceVersion: '300', items: [app('api-dev', 250, 'v9')] };
    s1.send(
      JSON.stringify({
        error: {
          http_code: 410,
          grpc_code: 11,
          message: 'too old resource version: 100 (250)',
        },
      }),
    );
    const s2 = await until('stream 2', () => argo.streams[1]);
    expect(s2.url.searchParams.get('resourceVersion')).toBe('300');
    expect(mirrors.getApplication('local', 'api-old')).toBeNull();
    expect(tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined)).toBe(
      'v9',
    );
    expect(changes.map(c => `${c.type} ${c.appName}`)).toContain(
      'DELETED api-old',
    );
    expect(mirrors.status()[0]).toMatchObject({
      resyncs: 1,
      resourceVersion: '300',
    });
    expect(mirrors.status()[0].lastError).toBeUndefined();
  });

  it('resyncs when the list after a resume has a lower resourceVersion (a reset Argo CD)', async () => {
    const argo = fakeArgo();
    const { mirrors } = setup();
    running = mirrors;
    mirrors.start();
    const s1 = await until('stream 1', () => argo.streams[0]);
    await until('live', () => mirrors.isLive('local'));
    s1.send(event('MODIFIED', app('api-dev', 500, 'v5')));
    await until(
      'v5',
      () =>
        tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined) === 'v5',
    );
    argo.list = {
      resourceVersion: '7',
      items: [app('api-dev', 3, 'restored')],
    };
    s1.close();
    await until(
      'restored',
      () =>
        tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined) ===
        'restored',
    );
    expect(mirrors.getApplication('local', 'other')).toBeNull();
    expect(mirrors.status()[0]).toMatchObject({
      resourceVersion: '7',
      resyncs: 1,
    });
  });

  it('while the stream cannot be opened, reads go to Argo CD and say they may be stale; once it is back, reads cost no call', async () => {
    const argo = fakeArgo();
    argo.streamStatus = 503;
    const { client, mirrors } = setup();
    running = mirrors;
    const service = GitOpsStateService.create({
      client,
      mirrors,
      pipelines: readPipelines(
        new ConfigReader({
          gitops: {
            pipelines: {
              standard: { environments: [{ name: 'dev', instance: 'local' }] },
            },
          },
        }),
        ['local'],
        [],
      ),
    });
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'api',
        namespace: 'default',
        annotations: { 'gitops/app': 'api', 'gitops/pipeline': 'standard' },
      },
    };
    mirrors.start();
    await until(
      'a failed stream attempt',
      () => argo.lists.length >= 1 && mirrors.status()[0].lastError,
    );
    expect(mirrors.isLive('local')).toBe(false);
    const down = (await service.getEnvironments(entity)).environments[0];
    expect(down.error).toBeUndefined();
    expect(down.freshness).toEqual({ source: 'direct', stale: true });
    expect(argo.gets).toBe(1);
    expect(mirrors.status()[0].lastError).toMatch(/503|unavailable/i);

    argo.streamStatus = 200;
    await until('live', () => mirrors.isLive('local'));
    const gets = argo.gets;
    for (let i = 0; i < 5; i++) {
      const up = (await service.getEnvironments(entity)).environments[0];
      expect(up.freshness).toEqual({ source: 'mirror', stale: false });
      expect(up.application?.name).toBe('api-dev');
    }
    expect(argo.gets).toBe(gets);
  });

  it('a periodic list catches up with a stream that went silent', async () => {
    const argo = fakeArgo();
    const { mirrors, changes } = setup(30);
    running = mirrors;
    mirrors.start();
    await until('live', () => mirrors.isLive('local'));
    // Argo CD moved on, but the open stream says nothing
    argo.list = {
      resourceVersion: '150',
      items: [app('api-dev', 140, 'v7'), app('other', 95, 'v1', false)],
    };
    await until(
      'caught up',
      () =>
        tagOf(mirrors.getApplication('local', 'api-dev') ?? undefined) === 'v7',
    );
    expect(argo.streams).toHaveLength(1);
    expect(mirrors.isLive('local')).toBe(true);
    expect(changes.at(-1)).toMatchObject({
      type: 'MODIFIED',
      appName: 'api-dev',
    });
    expect(mirrors.status()[0].relists).toBeGreaterThanOrEqual(1);
    expect(mirrors.status()[0]).toMatchObject({ reconnects: 0, resyncs: 0 });
  });

  it('stops: the stream is aborted and nothing reconnects', async () => {
    const argo = fakeArgo();
    const { mirrors } = setup();
    mirrors.start();
    await until('live', () => mirrors.isLive('local'));
    await mirrors.stop();
    expect(mirrors.isLive('local')).toBe(false);
    const opened = argo.streams.length;
    await new Promise(r => setTimeout(r, 60));
    expect(argo.streams.length).toBe(opened);
  });
});
