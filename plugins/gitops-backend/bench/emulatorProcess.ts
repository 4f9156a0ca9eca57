/*
 * Child process of bench/status.ts: runs the Argo CD emulator (instance
 * `local`, plus BENCH_SEED_APPS generated apps across BENCH_SEED_ENTITIES
 * entities) apart from the backends under test, as a real Argo CD server
 * would be, and counts every HTTP request its server receives (the upstream
 * calls of every backend, counted the same way, without an extra hop), and
 * the answers with a status of 400 or more.
 * Messages: parent → 'count' | 'stop'; child → {type:'ready', ...} | {type:'count', count, errors, byRoute}.
 */
import http from 'node:http';

let count = 0;
let errors = 0;
const byRoute: Record<string, number> = {};
const errorsByRoute: Record<string, number> = {};

/** A route's shape without names: /api/v1/applications/:name/revisions/:rev/metadata. */
function routeOf(url: string): string {
  const p = url.split('?')[0].split('/');
  if (p[3] === 'applications' && p.length > 4) {
    p[4] = ':name';
    if (p[5] === 'revisions' && p[6]) p[6] = ':rev';
  }
  return p.join('/');
}

const createServer = http.createServer;
// Count at the emulator's own server: wrap createServer before it is called.
(http as any).createServer = (...args: any[]) => {
  const server = (createServer as any)(...args) as http.Server;
  server.prependListener('request', (req, res) => {
    count += 1;
    const route = routeOf(req.url ?? '');
    byRoute[route] = (byRoute[route] ?? 0) + 1;
    res.once('finish', () => {
      if (res.statusCode >= 400) {
        errors += 1;
        const k = `${res.statusCode} ${route}`;
        errorsByRoute[k] = (errorsByRoute[k] ?? 0) + 1;
      }
    });
  });
  return server;
};

async function main() {
  // Loaded after the wrap above (require, so that it happens now).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmulator } =
    require('@internal/argocd-emulator') as typeof import('@internal/argocd-emulator');
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '100');
  const apps = Number(process.env.BENCH_SEED_APPS ?? '0');
  const entities = Number(process.env.BENCH_SEED_ENTITIES ?? '0');
  const t0 = Date.now();
  const emulator = await startEmulator({
    port: 0,
    instance: 'local',
    faults: { latencyMs },
    reconcileIntervalMs: Number(process.env.BENCH_RECONCILE_MS ?? '2000'),
    ...(apps > 0 ? { scale: { apps, entities } } : {}),
  });
  process.on('message', (m: any) => {
    if (m === 'count')
      process.send!({
        type: 'count',
        count,
        errors,
        byRoute: { ...byRoute },
        errorsByRoute: { ...errorsByRoute },
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      });
    if (m === 'stop') {
      emulator.stop().then(() => process.exit(0));
    }
  });
  process.send!({
    type: 'ready',
    url: emulator.url,
    token: emulator.token,
    kubeToken: emulator.kubeToken,
    seedMs: Date.now() - t0,
  });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
