/*
 * Benchmark of the GitOps tab's status data against the community Argo CD
 * plugin, with the same data on both sides (a script that prints figures;
 * method and results in BENCHMARKS.md at the repository root).
 *
 *   yarn bench:status [--apps 2000] [--entities 700] [--viewed 300] [--viewers 50]
 *     [--duration 20] [--runs 3] [--latency 25] [--zipf 1] [--seed 1] [--samples 20]
 *     [--sides mirror,uncached,proxy,community] [--catalog indexed|real]
 *     [--revalidate on|off]
 *
 * One emulator process (Argo CD API, `--apps` generated applications across
 * `--entities` entities, `--latency` ms injected per request, every request
 * counted at its server) and one backend process per configuration:
 *   mirror    ours, watch-stream mirror on (steady state after its initial sync),
 *             the tab's overview kept per entity while nothing it shows changed
 *   uncached  ours, mirror on, the overview built on every request
 *   proxy     ours, mirror off, cache TTL 0 (every read is an Argo CD call)
 *   community @backstage-community/plugin-argocd-backend, configured as its README does
 * `--viewers` concurrent viewers (each a user of its own) open entity pages for `--duration` s, each
 * picking entities from `--viewed` of them with a seeded Zipf(s = `--zipf`)
 * skew, each side with its frontend's request pattern (bench/viewers.ts).
 * `--runs` runs, the order of the configurations rotated each run; spread is
 * min–max over the runs. Then: warm tab requests (sequential), the mirror's
 * memory, the fleet route, and Argo CD change → signal latency (signalLatency.ts).
 * `--revalidate on` (default): every viewer keeps its answers' entity tags
 * and sends If-None-Match, as Chromium does (a 304 answers from its cache).
 * `--catalog real`: our sides run the catalog backend itself (their entity
 * reads go over HTTP to it) instead of the in-memory catalog.
 */
/* eslint-disable no-console */
import fs from 'node:fs';
import os from 'node:os';
import { authHeaders, Side } from './benchConfig';
import { fmt, pct } from './stats';
import { printReport, RunFigures } from './report';
import {
  BackendProcess,
  EmulatorCounts,
  startBackendProcess,
  startEmulatorProcess,
} from './processes';
import {
  answerCounts,
  browserCaches,
  communityPage,
  oursPage,
  PageView,
  runViewers,
} from './viewers';
import { seededPick, zipfSampler } from './zipf';
import { measureExtras } from './extras';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const APPS = Number(arg('apps', '2000'));
const ENTITIES = Number(arg('entities', '700'));
const VIEWED = Number(arg('viewed', '300'));
const VIEWERS = Number(arg('viewers', '50'));
const DURATION_S = Number(arg('duration', '20'));
const RUNS = Number(arg('runs', '3'));
const LATENCY_MS = Number(arg('latency', '25'));
const ZIPF_S = Number(arg('zipf', '1'));
const SEED = Number(arg('seed', '1'));
const CATALOG = arg('catalog', 'indexed') as 'indexed' | 'real';
// each viewer's browser cache: If-None-Match for what it got before (as Chromium does)
const REVALIDATE = arg('revalidate', 'on') !== 'off';
const SIDES: Side[] = (
  arg('sides', 'mirror,uncached,proxy,community') as string
)
  .split(',')
  .map(s => s.trim() as Side);

function diff(a: Record<string, number>, b: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b)) {
    const d = v - (a[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

async function waitQuiet(counts: () => Promise<EmulatorCounts>, ms: number) {
  // steady state: no Argo CD request for `ms` (the mirror's initial list is done)
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

/** Until GET /api/gitops/mirror/status says every instance's mirror is live (at most 3 minutes). */
async function waitMirrorLive(base: string) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/gitops/mirror/status`, {
      headers: authHeaders,
    }).catch(() => undefined);
    const body: any = res?.ok ? await res.json() : undefined;
    if (body?.items?.length && body.items.every((i: any) => i.live)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  console.log('the mirror did not report live within 3 minutes');
}

async function main() {
  const t0 = Date.now();
  const load0 = os.loadavg();
  console.log(
    `seeding the emulator: ${APPS} apps across ${ENTITIES} entities ...`,
  );
  const emu = await startEmulatorProcess({
    latencyMs: LATENCY_MS,
    apps: APPS,
    entities: ENTITIES,
  });
  console.log(`emulator ready in ${fmt(emu.seedMs / 1000)} s`);
  const backends = new Map<Side, BackendProcess>();
  for (const side of SIDES) {
    backends.set(
      side,
      await startBackendProcess({
        side,
        emulatorUrl: emu.url,
        emulatorToken: emu.token,
        apps: APPS,
        entities: ENTITIES,
        signals: side === 'mirror',
        catalog: side === 'community' ? 'indexed' : CATALOG,
      }),
    );
    console.log(`backend '${side}' started`);
  }
  const views = new Map<Side, PageView>(
    SIDES.map(s => {
      const caches = browserCaches(VIEWERS, REVALIDATE);
      return [
        s,
        s === 'community'
          ? communityPage(backends.get(s)!.base, caches)
          : oursPage(backends.get(s)!.base, caches),
      ];
    }),
  );
  // rank r of the Zipf distribution → entity viewed[r]
  const viewed = seededPick(ENTITIES, VIEWED, SEED);

  for (const side of ['mirror', 'uncached'] as const) {
    const b = backends.get(side);
    if (b) await waitMirrorLive(b.base);
  }
  await waitQuiet(emu.counts, 3000);
  // warm-up (not measured): every viewed entity once per side, 10 at a time
  for (const side of SIDES) {
    const view = views.get(side)!;
    for (let k = 0; k < viewed.length; k += 10)
      await Promise.all(viewed.slice(k, k + 10).map((i, j) => view(i, j)));
  }
  await waitQuiet(emu.counts, 2000);

  const figures: RunFigures[] = [];
  for (let run = 0; run < RUNS; run++) {
    const order = SIDES.map((_, k) => SIDES[(k + run) % SIDES.length]);
    for (const side of order) {
      const samplers = Array.from({ length: VIEWERS }, (_, v) =>
        zipfSampler(VIEWED, ZIPF_S, SEED * 1000 + run * 100 + v),
      );
      const backend = backends.get(side)!;
      const cpu0 = await backend.cpuMs();
      const client0 = process.cpuUsage();
      answerCounts.ok = 0;
      answerCounts.notModified = 0;
      const before = await emu.counts();
      const r = await runViewers({
        viewers: VIEWERS,
        seconds: DURATION_S,
        view: views.get(side)!,
        pick: v => viewed[samplers[v]()],
      });
      const after = await emu.counts();
      const client1 = process.cpuUsage(client0);
      const cpu1 = await backend.cpuMs();
      figures.push({
        backendCpuPerPage: (cpu1 - cpu0) / r.pages,
        emulatorCpuPerPage: (after.cpuMs - before.cpuMs) / r.pages,
        clientCpuPerPage: (client1.user + client1.system) / 1000 / r.pages,
        side,
        run,
        pages: r.pages,
        pagesPerS: r.pages / r.seconds,
        p50: pct(r.latencies, 50),
        p99: pct(r.latencies, 99),
        upstreamPerPage: (after.count - before.count) / r.pages,
        requestsPerPage: r.requests / r.pages,
        clientFailures: r.failures,
        upstreamErrors: diff(before.errorsByRoute, after.errorsByRoute),
        upstreamRoutes: diff(before.byRoute, after.byRoute),
      });
      console.log(
        `run ${run + 1} ${side}: ${r.pages} pages, ${fmt(
          r.pages / r.seconds,
        )} pages/s, upstream/page ${fmt(
          (after.count - before.count) / r.pages,
          4,
        )}, answered 304 ${fmt(
          (100 * answerCounts.notModified) /
            Math.max(1, answerCounts.ok + answerCounts.notModified),
        )} %, failures ${r.failures.length}`,
      );
    }
  }

  const extras = await measureExtras({
    emu,
    backends,
    viewed,
    apps: APPS,
    zipfS: ZIPF_S,
    seed: SEED,
  });

  printReport({
    figures,
    extras,
    backends,
    sides: SIDES,
    header: `GitOps status benchmark — ${VIEWERS} viewers × ${DURATION_S} s per configuration, ${RUNS} runs (order rotated), Zipf(s=${ZIPF_S}) over ${VIEWED} of ${ENTITIES} entities, ${APPS} apps (+7 example apps), emulator latency ${LATENCY_MS} ms/request, seed ${SEED}, catalog ${CATALOG}, browser revalidation ${
      REVALIDATE ? 'on' : 'off'
    }`,
    load0,
    startedAt: t0,
  });

  for (const b of backends.values()) await b.stop();
  await emu.stop();
  for (const b of backends.values()) fs.rmSync(b.log, { force: true });
  process.exit(0);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
