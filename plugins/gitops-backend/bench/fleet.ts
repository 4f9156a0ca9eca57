/* eslint-disable no-console */
/**
 * The fleet route's response time: the Argo CD emulator seeded with N apps
 * across M entities (default 2,000 across 700), one backend (our plugin, the
 * watch-stream mirror on, or `--side proxy` for mirror off + cache TTL 0),
 * the in-memory catalog with the generated entities. After the mirrors say
 * they are live (and no Argo CD request for 3 s) and one warm-up, `GET
 * /api/gitops/fleet` is timed `--requests` times sequentially per run, for
 * `--runs` runs; prints p50/p99 per run, the spread over the runs, the
 * response size, the Argo CD calls made during the measured requests and the
 * backend's warnings. Figures only: nothing is asserted.
 *
 * Run: yarn workspace @internal/plugin-gitops-backend bench:fleet
 *      [--apps 2000] [--entities 700] [--runs 3] [--requests 30]
 *      [--latency 25] [--side mirror|proxy] [--query 'state=promotable']
 *      [--in-process]  (the fleet service alone: CPU per view, see fleetInProcess.ts)
 */
import { authHeaders, Side } from './benchConfig';
import {
  EmulatorCounts,
  logSummary,
  startBackendProcess,
  startEmulatorProcess,
} from './processes';
import { fleetInProcess } from './fleetInProcess';
import { fmt, fmtSpread, pct } from './stats';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const APPS = Number(arg('apps', '2000'));
const ENTITIES = Number(arg('entities', '700'));
const RUNS = Number(arg('runs', '3'));
const REQUESTS = Number(arg('requests', '30'));
const LATENCY_MS = Number(arg('latency', '25'));
const SIDE = arg('side', 'mirror') as Side;
const QUERY = arg('query', '');

async function waitQuiet(counts: () => Promise<EmulatorCounts>, ms: number) {
  let last = (await counts()).count;
  let quietSince = Date.now();
  const deadline = Date.now() + 180_000;
  while (Date.now() - quietSince < ms && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 500));
    const c = (await counts()).count;
    if (c !== last) {
      last = c;
      quietSince = Date.now();
    }
  }
}

/** Until every instance's mirror says it is live (GET /api/gitops/mirror/status). */
async function waitLive(base: string) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/gitops/mirror/status`, {
      headers: authHeaders,
    }).catch(() => undefined);
    const body = res?.ok ? await res.json() : undefined;
    if (body?.items?.length && body.items.every((i: any) => i.live)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  console.log('the mirrors did not report live within 180 s; measuring anyway');
}

async function timed(url: string) {
  const t = performance.now();
  const res = await fetch(url, { headers: authHeaders });
  const body = await res.text();
  return { ms: performance.now() - t, status: res.status, body };
}

async function main() {
  if (process.argv.includes('--in-process')) {
    await fleetInProcess({
      apps: APPS,
      entities: ENTITIES,
      runs: RUNS,
      requests: REQUESTS,
    });
    return;
  }
  console.log(
    `fleet bench: ${APPS} apps across ${ENTITIES} entities, side '${SIDE}', ${RUNS} runs × ${REQUESTS} sequential requests, emulator latency ${LATENCY_MS} ms`,
  );
  const emu = await startEmulatorProcess({
    latencyMs: LATENCY_MS,
    apps: APPS,
    entities: ENTITIES,
  });
  console.log(`emulator seeded in ${fmt(emu.seedMs / 1000)} s`);
  const backend = await startBackendProcess({
    side: SIDE,
    emulatorUrl: emu.url,
    emulatorToken: emu.token,
    apps: APPS,
    entities: ENTITIES,
  });
  try {
    if (SIDE === 'mirror') await waitLive(backend.base);
    await waitQuiet(emu.counts, 3000);
    const url = `${backend.base}/api/gitops/fleet${QUERY ? `?${QUERY}` : ''}`;
    const t0 = await emu.counts();
    const first = await timed(url);
    const t1 = await emu.counts();
    if (first.status !== 200) {
      console.log(
        `GET ${url} answered ${first.status}: ${first.body.slice(0, 300)}`,
      );
      process.exitCode = 1;
      return;
    }
    const body = JSON.parse(first.body);
    const envs = body.items.reduce(
      (n: number, i: any) => n + i.environments.length,
      0,
    );
    const errors = body.items.reduce(
      (n: number, i: any) =>
        n +
        (i.error ? 1 : 0) +
        i.environments.filter((e: any) => e.error).length,
      0,
    );
    const messages = new Map<string, number>();
    for (const i of body.items) {
      for (const e of [i, ...i.environments]) {
        if (!e.error) continue;
        const m = `${e.error.name}: ${String(e.error.message)
          .replace(/scale-\d+/g, 'scale-N')
          .slice(0, 140)}`;
        messages.set(m, (messages.get(m) ?? 0) + 1);
      }
    }
    console.log(
      `first (cold) request: ${fmt(first.ms)} ms, ${
        body.items.length
      } entities, ${envs} environments (${errors} with an error), ${fmt(
        first.body.length / 1024,
        0,
      )} KiB, ${t1.count - t0.count} Argo CD calls`,
    );
    const routes = Object.entries(t1.byRoute)
      .map(([r, n]) => [r, n - (t0.byRoute[r] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    if (routes.length)
      console.log(
        `  Argo CD calls of the first request by route: ${routes
          .map(([r, n]) => `${r} ${n}`)
          .join(', ')}`,
      );
    for (const [m, n] of [...messages].sort((a, b) => b[1] - a[1]).slice(0, 5))
      console.log(`  ${n}× ${m}`);
    const p50s: number[] = [];
    const p99s: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await timed(url); // warm-up of the run
      const before = await emu.counts();
      const ms: number[] = [];
      for (let k = 0; k < REQUESTS; k++) ms.push((await timed(url)).ms);
      const after = await emu.counts();
      p50s.push(pct(ms, 50));
      p99s.push(pct(ms, 99));
      console.log(
        `run ${run}: p50 ${fmt(pct(ms, 50))} ms, p99 ${fmt(
          pct(ms, 99),
        )} ms, min ${fmt(Math.min(...ms))} ms, max ${fmt(
          Math.max(...ms),
        )} ms; Argo CD calls during the ${REQUESTS} requests: ${
          after.count - before.count
        } (${after.errors - before.errors} errors)`,
      );
    }
    console.log(
      `fleet ${ENTITIES} entities (${SIDE}): p50 ${fmtSpread(
        p50s,
      )} ms, p99 ${fmtSpread(p99s)} ms (median (min–max) over ${RUNS} runs)`,
    );
  } finally {
    await backend.stop();
    await emu.stop();
    const s = logSummary(backend.log);
    console.log(`backend warnings/errors in its log: ${s.lines}`);
    for (const [m, n] of s.messages.slice(0, 5)) console.log(`  ${n}× ${m}`);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
