/** The benchmark's report: the table over runs, Argo CD calls and errors by side, logs, extras, targets. */
/* eslint-disable no-console */
import os from 'node:os';
import type { Side } from './benchConfig';
import { logSummary } from './processes';
import { fmt, fmtSpread, table } from './stats';

export interface RunFigures {
  side: Side;
  run: number;
  pages: number;
  pagesPerS: number;
  p50: number;
  p99: number;
  upstreamPerPage: number;
  requestsPerPage: number;
  /** CPU ms of the configuration's backend process per page view. */
  backendCpuPerPage: number;
  /** CPU ms of the emulator (Argo CD) per page view. */
  emulatorCpuPerPage: number;
  /** CPU ms of the load generator (this process: every viewer's requests) per page view. */
  clientCpuPerPage: number;
  clientFailures: string[];
  upstreamErrors: Record<string, number>;
  upstreamRoutes: Record<string, number>;
}

export function printReport(o: {
  figures: RunFigures[];
  extras: {
    print: (line: (s?: string) => void) => void;
    targets: (
      line: (s?: string) => void,
      verdict: (ok: boolean | undefined) => string,
    ) => void;
  };
  backends: Map<Side, { side: Side; log: string }>;
  sides: Side[];
  header: string;
  load0: number[];
  startedAt: number;
}) {
  const { figures, extras, backends } = o;
  const SIDES = o.sides;
  const load0 = o.load0;
  const t0 = o.startedAt;
  const of = (side: Side, k: keyof RunFigures) =>
    figures.filter(f => f.side === side).map(f => f[k] as number);
  const line = (s = '') => console.log(s);
  line();
  line(o.header);
  const load1 = os.loadavg();
  line(
    `machine: ${os.cpus().length} CPUs (${
      os.cpus()[0]?.model
    }), shared with other people's work during the run: load average (1 min) ${fmt(
      load0[0],
    )} at start, ${fmt(load1[0])} at end; node ${process.version}; total ${fmt(
      (Date.now() - t0) / 1000,
      0,
    )} s`,
  );
  line('figures: median over runs (min–max)');
  line();
  const rows = [
    [
      'configuration',
      'upstream calls/page',
      'pages/s',
      'p50 ms',
      'p99 ms',
      'requests/page',
      'failed requests',
    ],
  ];
  for (const side of SIDES) {
    const runs = figures.filter(f => f.side === side);
    const reqPerPage = fmt(
      of(side, 'requestsPerPage').reduce((x, y) => x + y, 0) /
        Math.max(1, runs.length),
    );
    rows.push([
      side,
      fmtSpread(of(side, 'upstreamPerPage'), 4),
      fmtSpread(of(side, 'pagesPerS')),
      fmtSpread(of(side, 'p50')),
      fmtSpread(of(side, 'p99')),
      reqPerPage,
      String(runs.reduce((a, f) => a + f.clientFailures.length, 0)),
    ]);
  }
  line(table(rows));
  line();
  // CPU per page: what a page view costs whatever else the machine runs
  const cpuRows = [
    [
      'configuration',
      'backend CPU ms/page',
      'Argo CD (emulator) CPU ms/page',
      'both',
      'load generator CPU ms/page',
    ],
  ];
  for (const side of SIDES) {
    const b = of(side, 'backendCpuPerPage');
    const e = of(side, 'emulatorCpuPerPage');
    cpuRows.push([
      side,
      fmtSpread(b),
      fmtSpread(e),
      fmtSpread(b.map((x, k) => x + e[k])),
      fmtSpread(of(side, 'clientCpuPerPage'), 2),
    ]);
  }
  line(table(cpuRows));
  line();
  for (const side of SIDES) {
    const runs = figures.filter(f => f.side === side);
    const routes: Record<string, number> = {};
    const errs: Record<string, number> = {};
    for (const f of runs) {
      for (const [k, v] of Object.entries(f.upstreamRoutes))
        routes[k] = (routes[k] ?? 0) + v;
      for (const [k, v] of Object.entries(f.upstreamErrors))
        errs[k] = (errs[k] ?? 0) + v;
    }
    const pages = runs.reduce((a, f) => a + f.pages, 0);
    line(
      `${side}: Argo CD calls by route over ${pages} pages: ${
        Object.entries(routes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }`,
    );
    line(
      `${side}: Argo CD answers ≥ 400: ${
        Object.entries(errs)
          .map(([k, v]) => `${k} × ${v}`)
          .join(', ') || 'none'
      }`,
    );
    const samples = [...new Set(runs.flatMap(f => f.clientFailures))].slice(
      0,
      5,
    );
    line(
      `${side}: failed page requests: ${runs.reduce(
        (a, f) => a + f.clientFailures.length,
        0,
      )}${samples.length ? ` (e.g. ${samples.join('; ')})` : ''}`,
    );
  }
  for (const b of backends.values()) {
    const s = logSummary(b.log);
    line(
      `${b.side}: backend log, warning/error lines: ${s.lines}${s.messages
        .slice(0, 3)
        .map(([m, n]) => `\n    ${n} × ${m}`)
        .join('')}`,
    );
  }
  line();
  extras.print(line);
  const ratio = (a: Side, b: Side) => {
    const A = of(a, 'pagesPerS');
    const B = of(b, 'pagesPerS');
    if (!A.length || !B.length) return [];
    return A.map((x, k) => x / B[k]);
  };
  line();
  line('targets');
  const up = of('mirror', 'upstreamPerPage');
  const r = ratio('mirror', 'community');
  const verdict = (ok: boolean | undefined) => {
    if (ok === undefined) return 'not measured';
    return ok ? 'met' : 'NOT met';
  };
  line(
    `  upstream calls/page (mirror) ≤ 0.01: ${fmtSpread(up, 4)} → ${verdict(
      up.length ? Math.max(...up) <= 0.01 : undefined,
    )}`,
  );
  line(
    `  pages/s mirror ÷ community ≥ 20×: ${fmtSpread(r)} → ${verdict(
      r.length ? Math.min(...r) >= 20 : undefined,
    )}`,
  );
  const cpu = (side: Side) => {
    const b = of(side, 'backendCpuPerPage');
    const e = of(side, 'emulatorCpuPerPage');
    return b.map((x, k) => x + e[k]);
  };
  const cm = cpu('mirror');
  const cc = cpu('community');
  line(
    `  (CPU per page, backend + Argo CD, community ÷ mirror: ${fmtSpread(
      cm.length && cc.length ? cc.map((x, k) => x / cm[k]) : [],
    )}; it does not depend on what else shares the machine)`,
  );
  line(
    `  (for reference, pages/s ÷ community: mirror with the overview built on every request ${fmtSpread(
      ratio('uncached', 'community'),
    )}, proxy ${fmtSpread(ratio('proxy', 'community'))})`,
  );
  extras.targets(line, verdict);
}
