/**
 * The benchmark's single-configuration figures: warm tab requests (ours,
 * sequential), the mirror's memory, the fleet route for every entity, and
 * Argo CD change → signal latency.
 */
import { authHeaders, component, Side } from './benchConfig';
import type { BackendProcess, EmulatorProcess } from './processes';
import { fmt, pct } from './stats';
import { measureSignalLatency } from './signalLatency';
import { oursPage } from './viewers';
import { zipfSampler } from './zipf';

const headers = authHeaders;
const MB = 1024 * 1024;

async function timed(
  url: string,
): Promise<{ ms: number; bytes: number; status: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.text();
  return {
    ms: performance.now() - t0,
    bytes: body.length,
    status: res.status,
    body,
  };
}

export async function measureExtras(o: {
  emu: EmulatorProcess;
  backends: Map<Side, BackendProcess>;
  viewed: number[];
  apps: number;
  zipfS: number;
  seed: number;
}) {
  const mirror = o.backends.get('mirror');
  const proxy = o.backends.get('proxy');
  const out: string[] = [];
  const t: Record<string, { value: string; ok?: boolean }> = {};

  // warm tab: sequential page views and environments requests on the mirror side
  if (mirror) {
    const pick = zipfSampler(o.viewed.length, o.zipfS, o.seed + 7);
    const view = oursPage(mirror.base);
    const page: number[] = [];
    const envs: number[] = [];
    for (let k = 0; k < 200; k++) {
      const i = o.viewed[pick()];
      const s = performance.now();
      await view(i, 0);
      page.push(performance.now() - s);
      envs.push(
        (
          await timed(
            `${mirror.base}/api/gitops/entities/component/default/${component(
              i,
            )}/environments`,
          )
        ).ms,
      );
    }
    out.push(
      `warm tab (mirror, 200 sequential views): whole tab (its one overview request) p50 ${fmt(
        pct(page, 50),
      )} ms p99 ${fmt(pct(page, 99))} ms; environments request alone p50 ${fmt(
        pct(envs, 50),
      )} ms p99 ${fmt(pct(envs, 99))} ms`,
    );
    t.warm = {
      value: `${fmt(pct(envs, 50))} ms (whole tab ${fmt(pct(page, 50))} ms)`,
      ok: pct(envs, 50) <= 10,
    };
  }

  // memory: heap after a full GC, mirror side minus proxy side (same plugin, same catalog, mirror off)
  if (mirror && proxy) {
    const m = await mirror.memory();
    const p = await proxy.memory();
    const delta = (m.heapUsed - p.heapUsed) / MB;
    const per1000 = delta / ((o.apps + 7) / 1000);
    out.push(
      `memory (heap after global.gc(): ${
        m.gc ? 'yes' : 'NO, --expose-gc missing'
      }): mirror backend ${fmt(m.heapUsed / MB)} MB, proxy backend ${fmt(
        p.heapUsed / MB,
      )} MB → mirror ≈ ${fmt(delta)} MB for ${o.apps + 7} apps = ${fmt(
        per1000,
      )} MB per 1,000 apps (rss ${fmt(m.rss / MB)} vs ${fmt(p.rss / MB)} MB)`,
    );
    t.memory = {
      value: `${fmt(per1000)} MB per 1,000 apps`,
      ok: per1000 <= 50,
    };
  }

  // the mirror's own account of itself (its size estimate: JSON length × 2)
  if (mirror) {
    const st = await timed(`${mirror.base}/api/gitops/mirror/status`);
    if (st.status === 200) {
      const items: any[] = JSON.parse(st.body).items ?? [];
      for (const m of items) {
        out.push(
          `mirror status '${m.instance}': live ${m.live}, ${
            m.apps
          } apps held (${m.boundApps} bound in full), estimate ${fmt(
            m.approxBytes / MB,
          )} MB = ${fmt(
            m.approxBytes / MB / (m.apps / 1000),
          )} MB per 1,000 apps; reconnects ${m.reconnects}, resyncs ${
            m.resyncs
          }, malformed lines ${m.malformedLines}${
            m.lastError ? `, last error: ${m.lastError}` : ''
          }`,
        );
      }
    } else {
      out.push(
        `mirror status: GET /api/gitops/mirror/status answered ${st.status}`,
      );
    }
  }

  // fleet: every entity × environment, mirror side
  if (mirror) {
    const url = `${mirror.base}/api/gitops/fleet`;
    const first = await timed(url);
    if (first.status === 200) {
      const before = await o.emu.counts();
      const ms: number[] = [];
      for (let k = 0; k < 20; k++) ms.push((await timed(url)).ms);
      const after = await o.emu.counts();
      let rows = '?';
      try {
        const j = JSON.parse(first.body);
        const items = j.entities ?? j.items ?? j.rows;
        if (Array.isArray(items)) rows = String(items.length);
      } catch {
        // leave '?'
      }
      out.push(
        `fleet (mirror, GET /api/gitops/fleet, 20 sequential after one warm-up): p50 ${fmt(
          pct(ms, 50),
        )} ms p99 ${fmt(pct(ms, 99))} ms; ${rows} entities, ${fmt(
          first.bytes / 1024,
          0,
        )} KiB; Argo CD calls during them: ${after.count - before.count}`,
      );
      t.fleet = {
        value: `${fmt(pct(ms, 50))} ms p50, ${fmt(pct(ms, 99))} ms p99`,
        ok: pct(ms, 50) <= 300,
      };
    } else {
      out.push(
        `fleet: GET /api/gitops/fleet answered ${first.status}; not measured`,
      );
    }
  }

  // Argo CD change → signal
  if (mirror) {
    const targets: Array<[string, string]> = o.viewed
      .slice(0, 20)
      .map(i => [component(i), `${component(i)}-prod`]);
    try {
      const r = await measureSignalLatency({
        backendBase: mirror.base,
        emulatorUrl: o.emu.url,
        emulatorToken: o.emu.token,
        targets,
      });
      const total = r.samples.map(s => s.totalMs);
      const sent = r.samples.flatMap(s =>
        s.sentMs === undefined ? [] : [s.sentMs],
      );
      const observed = r.samples.flatMap(s =>
        s.observedMs === undefined ? [] : [s.observedMs],
      );
      out.push(
        `change → signal (${r.client}; ${r.samples.length} of ${
          targets.length
        } syncs signalled, ${r.missed} missed within 5 s): handled p50 ${fmt(
          pct(total, 50),
        )} ms p99 ${fmt(pct(total, 99))} ms; backend saw the event p50 ${fmt(
          pct(observed, 50),
        )} ms; published p50 ${fmt(pct(sent, 50))} ms`,
      );
      t.signal = r.samples.length
        ? {
            value: `${fmt(pct(total, 50))} ms p50, ${fmt(
              pct(total, 99),
            )} ms p99 (${r.client.split(' (')[0]})`,
            ok: pct(total, 50) <= 1000,
          }
        : { value: 'no signal arrived' };
    } catch (e) {
      out.push(`change → signal: not measured (${(e as Error).message})`);
    }
  }

  return {
    print: (line: (s?: string) => void) => out.forEach(s => line(s)),
    targets: (
      line: (s?: string) => void,
      verdict: (ok: boolean | undefined) => string,
    ) => {
      const show = (label: string, key: string) =>
        line(`  ${label}: ${t[key]?.value ?? '—'} → ${verdict(t[key]?.ok)}`);
      show('warm tab request p50 ≤ 10 ms', 'warm');
      show('event → browser p50 ≤ 1 s', 'signal');
      show('≤ 50 MB per 1,000 mirrored apps', 'memory');
      show('fleet ≤ 300 ms for all entities', 'fleet');
    },
  };
}
