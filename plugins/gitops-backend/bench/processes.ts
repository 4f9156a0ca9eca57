/** Child processes of the benchmark (emulator, one backend per side) and a free port. */
import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Side } from './benchConfig';

export async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>(r => s.listen(0, r));
  const { port } = s.address() as AddressInfo;
  await new Promise(r => s.close(r));
  return port;
}

/** Where a child's output goes (not the benchmark's output; summarised by {@link logSummary}). */
export const logFile = (name: string) =>
  path.join(os.tmpdir(), `gitops-bench-${process.pid}-${name}.log`);

function spawnChild(
  file: string,
  env: Record<string, string>,
  execArgv: string[] = [],
  log?: string,
): ChildProcess {
  const child = fork(path.join(__dirname, file), [], {
    silent: !!log,
    execArgv: [
      ...execArgv,
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, ...env },
  });
  if (log) {
    const out = fs.createWriteStream(log);
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
  }
  return child;
}

/** Warning and error lines of a child's log, counted by message (timestamps and colours stripped). */
export function logSummary(log: string): {
  lines: number;
  messages: [string, number][];
} {
  if (!fs.existsSync(log)) return { lines: 0, messages: [] };
  const counts = new Map<string, number>();
  let lines = 0;
  for (const raw of fs.readFileSync(log, 'utf8').split('\n')) {
    // eslint-disable-next-line no-control-regex
    const l = raw.replace(/\u001b\[[0-9;]*m/g, '').trim();
    if (!/\b(warn|error)\b/i.test(l)) continue;
    lines += 1;
    const msg = l
      .replace(/^\S+Z\s+/, '')
      .replace(/\d+/g, 'N')
      .slice(0, 160);
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return { lines, messages: [...counts.entries()].sort((a, b) => b[1] - a[1]) };
}

/** Waits for the child's message of `type` (after sending `request`, if any). */
function ask<T = any>(
  child: ChildProcess,
  type: string,
  request?: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new Error(`child process exited with ${code} before '${type}'`));
    const onMessage = (m: any) => {
      if (m?.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m);
      }
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (request) child.send(request);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise(resolve => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 6000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.send('stop');
  });
}

export interface EmulatorCounts {
  count: number;
  errors: number;
  byRoute: Record<string, number>;
  errorsByRoute: Record<string, number>;
  /** CPU time of the emulator process so far (user + system). */
  cpuMs: number;
}

export async function startEmulatorProcess(o: {
  latencyMs: number;
  apps: number;
  entities: number;
}) {
  const child = spawnChild('emulatorProcess.ts', {
    BENCH_LATENCY_MS: String(o.latencyMs),
    BENCH_SEED_APPS: String(o.apps),
    BENCH_SEED_ENTITIES: String(o.entities),
    // the reconcile loop re-reads every app; at 2,000 apps it would take the CPU the backends are measured with
    BENCH_RECONCILE_MS: String(3_600_000),
  });
  const ready = await ask(child, 'ready');
  return {
    url: ready.url as string,
    token: ready.token as string,
    seedMs: ready.seedMs as number,
    counts: () => ask<EmulatorCounts>(child, 'count', 'count'),
    stop: () => stopChild(child),
  };
}

export async function startBackendProcess(o: {
  side: Side;
  emulatorUrl: string;
  emulatorToken: string;
  apps: number;
  entities: number;
  signals?: boolean;
  /** 'real': the catalog backend itself instead of the in-memory catalog. */
  catalog?: 'indexed' | 'real';
}) {
  const port = await freePort();
  const child = spawnChild(
    'backendProcess.ts',
    {
      BENCH_SIDE: o.side,
      BENCH_PORT: String(port),
      BENCH_EMULATOR_URL: o.emulatorUrl,
      BENCH_EMULATOR_TOKEN: o.emulatorToken,
      BENCH_APPS: String(o.apps),
      BENCH_ENTITIES: String(o.entities),
      BENCH_SIGNALS: o.signals ? '1' : '0',
      BENCH_CATALOG: o.catalog ?? 'indexed',
    },
    ['--expose-gc'],
    logFile(o.side),
  );
  await ask(child, 'ready');
  return {
    side: o.side,
    log: logFile(o.side),
    base: `http://localhost:${port}`,
    /** CPU time of the backend process so far (user + system, ms). */
    cpuMs: () => ask<{ ms: number }>(child, 'cpu', 'cpu').then(m => m.ms),
    memory: () =>
      ask<{ heapUsed: number; rss: number; gc: boolean }>(
        child,
        'memory',
        'memory',
      ),
    stop: () => stopChild(child),
  };
}

export type BackendProcess = Awaited<ReturnType<typeof startBackendProcess>>;
export type EmulatorProcess = Awaited<ReturnType<typeof startEmulatorProcess>>;
