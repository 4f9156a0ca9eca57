/*
 * Benchmark of the GitOps tab's status data (a script that prints figures).
 *
 *   yarn workspace @internal/plugin-gitops-backend bench:status
 *     [--duration 10] [--connections 50] [--latency 100] [--ttl 5s] [--cold-samples 8]
 *
 * Starts the Argo CD emulator (instance `local`, 100 ms injected latency) in a
 * child process that counts every request its HTTP server receives (upstream
 * Argo CD calls of both plugins, counted the same way), and one Backstage backend (createBackend from
 * @backstage/backend-defaults, in-memory catalog with the example entity,
 * static-token service auth) in which both our plugin and
 * @backstage-community/plugin-argocd-backend are mounted. Then:
 *   1. p50 of one direct Argo CD call (GET one application, straight to the emulator);
 *   2. cold-cache p50 of our environments route (sequential requests, each after the TTL expired);
 *   3. 50 concurrent viewers of python-api-base for a fixed time with autocannon, ours;
 *   4. the same with the community plugin's routes for the same page's data.
 */
/* eslint-disable no-console */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { AddressInfo } from 'node:net';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const DURATION_S = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '50'));
const LATENCY_MS = Number(arg('latency', '100'));
const TTL = arg('ttl', '5s');
const TTL_MS = Number(TTL.replace(/s$/, '')) * 1000;
const BENCH_TOKEN = 'bench-static-token-0123456789abcdef';
const ENTITY = 'python-api-base';
const COLD_SAMPLES = Number(arg('cold-samples', '8'));
const APPS = ['dev', 'staging', 'prod'].map(e => `${ENTITY}-${e}`);

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>(r => s.listen(0, r));
  const { port } = s.address() as AddressInfo;
  await new Promise(r => s.close(r));
  return port;
}

/** Starts the emulator (with its request counter) in a child process. */
async function startUpstream(latencyMs: number) {
  const child = fork(path.join(__dirname, 'emulatorProcess.ts'), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs) },
  });
  const ready = await new Promise<any>((resolve, reject) => {
    const onReady = (m: any) => {
      if (m?.type === 'ready') {
        child.off('message', onReady);
        resolve(m);
      }
    };
    child.on('message', onReady);
    child.once('exit', code =>
      reject(new Error(`emulator process exited with ${code}`)),
    );
  });
  const count = () =>
    new Promise<number>(resolve => {
      const onMessage = (m: any) => {
        if (m?.type === 'count') {
          child.off('message', onMessage);
          resolve(m.count);
        }
      };
      child.on('message', onMessage);
      child.send('count');
    });
  return {
    url: ready.url as string,
    token: ready.token as string,
    kubeToken: ready.kubeToken as string,
    count,
    stop: () =>
      new Promise<void>(resolve => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function timed(
  url: string,
  headers: Record<string, string>,
): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t0;
}

function runCannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main() {
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
  const emulator = await startUpstream(LATENCY_MS);
  const port = await freePort();
  const base = `http://localhost:${port}`;

  const config = {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: base,
      listen: { port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: BENCH_TOKEN, subject: 'bench' } },
        ],
      },
    },
    gitops: {
      argocd: {
        instances: [
          {
            name: 'local',
            url: emulator.url,
            token: emulator.token,
            timeout: '5s',
          },
        ],
      },
      helm: {
        clusters: [
          { name: 'local', url: emulator.url, token: emulator.kubeToken },
        ],
      },
      cache: { ttl: TTL },
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
      },
    },
    // The community plugin's config (same instance).
    argocd: {
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            { name: 'local', url: emulator.url, token: emulator.token },
          ],
        },
      ],
    },
  };

  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(config),
    }),
  );
  backend.add(
    catalogServiceMock.factory({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: ENTITY,
            namespace: 'default',
            annotations: {
              'gitops/app': ENTITY,
              'gitops/pipeline': 'standard',
              'argocd/app-selector': `app.kubernetes.io/part-of=${ENTITY}`,
              'argocd/instance-name': 'local',
            },
          },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        },
      ],
    }),
  );
  backend.add(import('../src'));
  backend.add(import('@backstage-community/plugin-argocd-backend'));
  await backend.start();

  const headers = { authorization: `Bearer ${BENCH_TOKEN}` };
  const ours = `${base}/api/gitops/entities/component/default/${ENTITY}/environments`;
  const theirsBase = `${base}/api/backstage-community-argocd/argoInstance/local/applications`;
  const selector = encodeURIComponent(`app.kubernetes.io/part-of=${ENTITY}`);

  // Sanity: both answer, and the revisions the community page asks metadata for.
  const state = await (await fetch(ours, { headers })).json();
  if (!state.environments || state.environments.some((e: any) => e.error)) {
    throw new Error(
      `our route did not answer cleanly: ${JSON.stringify(state).slice(
        0,
        500,
      )}`,
    );
  }
  const list = await (
    await fetch(`${theirsBase}/selector/${selector}`, { headers })
  ).json();
  if (!list.items || list.items.length !== APPS.length) {
    throw new Error(
      `community route did not list ${APPS.length} apps: ${JSON.stringify(
        list,
      ).slice(0, 300)}`,
    );
  }
  const revisions = new Map<string, string>(
    list.items.map((a: any) => [a.metadata.name, a.status.sync.revision]),
  );
  const theirsPage = [
    `/api/backstage-community-argocd/argoInstance/local/applications/selector/${selector}`,
    ...APPS.map(
      a =>
        `/api/backstage-community-argocd/argoInstance/local/applications/name/${a}/revisions/${revisions.get(
          a,
        )}/metadata`,
    ),
  ];

  // 1+2. Interleaved, so that both see the same machine load: our route with a
  // cold cache (each sample after the TTL expired), one direct Argo CD call,
  // and three parallel direct calls (the floor of our fan-out).
  const auth = { authorization: `Bearer ${emulator.token}` };
  const cold: number[] = [];
  const direct: number[] = [];
  const parallel: number[] = [];
  await timed(`${emulator.url}/api/v1/applications/${APPS[2]}`, auth); // warm-up
  // Every sample comes after the same idle time (TTL + 150 ms), so that
  // whatever the idle does to the machine or the emulator hits all three alike.
  const idle = () => new Promise(r => setTimeout(r, TTL_MS + 150));
  for (let i = 0; i < COLD_SAMPLES; i++) {
    await idle();
    cold.push(await timed(ours, headers));
    await idle();
    direct.push(
      await timed(`${emulator.url}/api/v1/applications/${APPS[2]}`, auth),
    );
    await idle();
    const t0 = performance.now();
    await Promise.all(
      APPS.map(a => timed(`${emulator.url}/api/v1/applications/${a}`, auth)),
    );
    parallel.push(performance.now() - t0);
  }
  const warm: number[] = [];
  for (let i = 0; i < 10; i++) warm.push(await timed(ours, headers));

  // 3. ours under load
  let before = await emulator.count();
  const oursRun = await runCannon({
    url: ours,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers,
  });
  const oursUpstream = (await emulator.count()) - before;

  // 4. community plugin, same page data (list + revision metadata of each app)
  before = await emulator.count();
  const theirsRun = await runCannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers,
    requests: theirsPage.map(p => ({ method: 'GET', path: p })),
  });
  const theirsUpstream = (await emulator.count()) - before;

  const oursPages = oursRun.requests.total;
  const theirsPages = theirsRun.requests.total / theirsPage.length;
  const line = (s: string) => console.log(s);
  line('');
  line(
    `GitOps status benchmark — ${CONNECTIONS} concurrent viewers of ${ENTITY}, ${DURATION_S}s each, emulator latency ${LATENCY_MS} ms, cache TTL ${TTL}`,
  );
  line(
    `Backend: createBackend() with @internal/plugin-gitops-backend and @backstage-community/plugin-argocd-backend@1.5.0 mounted side by side; emulator in a child process; upstream calls counted at the emulator's HTTP server.`,
  );
  line('');
  line(
    `one direct Argo CD call (GET application)  p50 ${pct(direct, 50).toFixed(
      1,
    )} ms`,
  );
  line(
    `3 parallel direct Argo CD calls             p50 ${pct(
      parallel,
      50,
    ).toFixed(1)} ms`,
  );
  line(
    `ours, warm cache (sequential)               p50 ${pct(warm, 50).toFixed(
      1,
    )} ms`,
  );
  line(
    `ours, cold cache (${COLD_SAMPLES} sequential requests)  p50 ${pct(
      cold,
      50,
    ).toFixed(1)} ms = ${(pct(cold, 50) / pct(direct, 50)).toFixed(
      2,
    )}x one direct call (target <= 1.3x), ${(
      pct(cold, 50) / pct(parallel, 50)
    ).toFixed(2)}x 3 parallel direct calls`,
  );
  line('');
  line(
    '                         page/s    req/s    p50 ms   p99 ms   non-2xx  upstream calls/req  upstream/page',
  );
  const row = (
    name: string,
    r: autocannon.Result,
    pages: number,
    upstream: number,
  ) =>
    line(
      `${name.padEnd(24)} ${(pages / DURATION_S)
        .toFixed(1)
        .padStart(7)} ${r.requests.average.toFixed(1).padStart(8)} ${String(
        r.latency.p50,
      ).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(
        r.non2xx + r.errors,
      ).padStart(8)} ${(upstream / r.requests.total)
        .toFixed(4)
        .padStart(18)} ${(upstream / pages).toFixed(3).padStart(14)}`,
    );
  row('ours (1 req/page)', oursRun, oursPages, oursUpstream);
  row(
    `community (${theirsPage.length} req/page)`,
    theirsRun,
    theirsPages,
    theirsUpstream,
  );
  line('');
  line(
    `throughput ratio (pages/s ours / community): ${(
      oursPages / theirsPages
    ).toFixed(1)}x (target >= 5x)`,
  );
  line(
    `upstream Argo CD calls per request, ours: ${(
      oursUpstream / oursRun.requests.total
    ).toFixed(4)} (target <= 0.05)`,
  );

  // Do not wait for lingering keep-alive sockets.
  setTimeout(() => process.exit(0), 5000).unref();
  await Promise.race([
    Promise.all([backend.stop(), emulator.stop()]),
    new Promise(r => setTimeout(r, 4000)),
  ]);
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
