/*
 * Backend CPU per request, route by route, on the benchmark's backend
 * (side 'mirror', bench/backendProcess.ts) against the seeded emulator: what
 * Backstage's own stack costs (`/.backstage/health/v1/liveness`, a route of
 * the root router; `/api/gitops/mirror/status`, the cheapest plugin route)
 * next to the tab's routes. A script that prints figures.
 *
 *   yarn workspace @internal/plugin-gitops-backend bench:routes
 *     [--apps 2000] [--entities 700] [--viewers 50] [--duration 8] [--runs 2]
 *     [--routes liveness,mirror-status,overview-hot,overview,environments,changes,pending]
 *     [--catalog indexed|real]
 *
 * `overview-hot` cycles over 10 entities, the others over 300 (one after the
 * other, so that with the default overview TTL most overview answers are
 * kept); 50 concurrent loops, each a user of its own. `--catalog real` runs
 * the catalog backend itself (SQLite, entities from a file location; our
 * plugin's entity lookups go over HTTP to it) instead of the in-memory one.
 */
/* eslint-disable no-console */
import { component, viewerHeaders } from './benchConfig';
import { startBackendProcess, startEmulatorProcess } from './processes';
import { fmt } from './stats';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const APPS = Number(arg('apps', '2000'));
const ENTITIES = Number(arg('entities', '700'));
const VIEWERS = Number(arg('viewers', '50'));
const DURATION_S = Number(arg('duration', '8'));
const RUNS = Number(arg('runs', '2'));
const CATALOG = arg('catalog', 'indexed') as 'indexed' | 'real';

async function load(urlOf: (k: number) => string) {
  let n = 0;
  let failed = 0;
  const end = performance.now() + DURATION_S * 1000;
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, v) => {
      let k = v;
      while (performance.now() < end) {
        const res = await fetch(urlOf(k++), { headers: viewerHeaders(v) });
        await res.arrayBuffer();
        if (!res.ok) failed += 1;
        n += 1;
      }
    }),
  );
  return { n, failed };
}

async function main() {
  const emu = await startEmulatorProcess({
    latencyMs: 25,
    apps: APPS,
    entities: ENTITIES,
  });
  const b = await startBackendProcess({
    side: 'mirror',
    emulatorUrl: emu.url,
    emulatorToken: emu.token,
    apps: APPS,
    entities: ENTITIES,
    catalog: CATALOG,
  });
  const entity = (i: number) =>
    `${b.base}/api/gitops/entities/component/default/${component(i)}`;
  const routes: Record<string, (k: number) => string> = {
    liveness: () => `${b.base}/.backstage/health/v1/liveness`,
    'mirror-status': () => `${b.base}/api/gitops/mirror/status`,
    'overview-hot': k => `${entity(k % 10)}/overview`,
    overview: k => `${entity(k % 300)}/overview`,
    environments: k => `${entity(k % 300)}/environments`,
    changes: k =>
      `${b.base}/api/gitops/changes?entityRef=${encodeURIComponent(
        `component:default/${component(k % 300)}`,
      )}`,
    pending: () => `${b.base}/api/gitops/approvals/pending`,
  };
  const chosen = arg('routes', Object.keys(routes).join(',')).split(',');
  // until the mirror is live (its initial list), at most 3 minutes
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(routes['mirror-status'](0), {
      headers: viewerHeaders(0),
    }).catch(() => undefined);
    const body: any = res?.ok ? await res.json() : undefined;
    if (body?.items?.length && body.items.every((i: any) => i.live)) break;
    await new Promise(r => setTimeout(r, 500));
  }
  console.log(
    `backend CPU per request — ${VIEWERS} concurrent loops × ${DURATION_S} s per route, ${RUNS} runs, ${APPS} apps / ${ENTITIES} entities, side 'mirror', catalog ${CATALOG}`,
  );
  for (let run = 0; run < RUNS; run++) {
    for (const name of chosen) {
      const url = routes[name];
      if (!url) throw new Error(`unknown route '${name}'`);
      const c0 = await b.cpuMs();
      const t0 = performance.now();
      const { n, failed } = await load(url);
      const s = (performance.now() - t0) / 1000;
      const c1 = await b.cpuMs();
      console.log(
        `run ${run + 1} ${name.padEnd(14)} ${fmt(n / s).padStart(
          7,
        )} req/s  backend CPU ${((c1 - c0) / n).toFixed(3)} ms/request${
          failed ? `  (${failed} failed)` : ''
        }`,
      );
    }
  }
  await b.stop();
  await emu.stop();
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
