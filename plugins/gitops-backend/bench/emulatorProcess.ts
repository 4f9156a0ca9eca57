/*
 * Child process of bench/status.ts: runs the Argo CD emulator (instance
 * `local`) apart from the backend under test, as a real Argo CD server would
 * be, and counts every HTTP request its server receives (the upstream calls of
 * both plugins, counted the same way, without an extra hop).
 * Messages: parent → 'count' | 'stop'; child → {type:'ready', ...} | {type:'count', count}.
 */
import http from 'node:http';

let count = 0;
const createServer = http.createServer;
// Count at the emulator's own server: wrap createServer before it is called.
(http as any).createServer = (...args: any[]) => {
  const server = (createServer as any)(...args) as http.Server;
  server.prependListener('request', () => {
    count += 1;
  });
  return server;
};

async function main() {
  // Loaded after the wrap above (require, so that it happens now).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmulator } =
    require('@internal/argocd-emulator') as typeof import('@internal/argocd-emulator');
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? '100');
  const emulator = await startEmulator({
    port: 0,
    instance: 'local',
    faults: { latencyMs },
    reconcileIntervalMs: Number(process.env.BENCH_RECONCILE_MS ?? '2000'),
  });
  process.on('message', (m: any) => {
    if (m === 'count') process.send!({ type: 'count', count });
    if (m === 'stop') {
      emulator.stop().then(() => process.exit(0));
    }
  });
  process.send!({
    type: 'ready',
    url: emulator.url,
    token: emulator.token,
    kubeToken: emulator.kubeToken,
  });
}

main().catch(e => {
  // eslint-disable-next-line no-console
  console.error(e);
  process.exit(1);
});
