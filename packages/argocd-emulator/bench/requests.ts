/* eslint-disable no-console */
/**
 * Throughput/latency of the emulator's hot read paths (what the backend polls).
 * Prints figures; no assertions. Run:
 *   yarn workspace @internal/argocd-emulator bench [seconds] [connections]
 */
import autocannon from 'autocannon';
import { startEmulator } from '../src/startEmulator';

async function main() {
  const duration = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 10);
  const t0 = Date.now();
  const emu = await startEmulator({
    instance: 'local',
    reconcileIntervalMs: 2000,
  });
  console.log(`startup (seed fresh repo + listen): ${Date.now() - t0} ms`);
  const paths = [
    '/api/v1/applications?selector=app.kubernetes.io/part-of%3Dpython-api-base',
    '/api/v1/applications/python-api-base-prod',
    '/api/v1/applications/python-api-base-prod/resource-tree',
    '/api/v1/applications/python-api-base-prod/managed-resources',
  ];
  for (const p of paths) {
    const r = await autocannon({
      url: `http://127.0.0.1:${emu.port}${p}`,
      headers: { authorization: `Bearer ${emu.token}` },
      duration,
      connections,
    });
    console.log(
      `${p}: ${Math.round(r.requests.average)} req/s, p50 ${
        r.latency.p50
      } ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
    );
  }
  const t1 = Date.now();
  const res = await fetch(
    `http://127.0.0.1:${emu.port}/api/v1/applications/python-api-base-prod?refresh=hard`,
    {
      headers: { authorization: `Bearer ${emu.token}` },
    },
  );
  console.log(
    `refresh=hard round trip: ${Date.now() - t1} ms (HTTP ${res.status})`,
  );
  await emu.stop();
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
