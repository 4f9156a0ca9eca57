/**
 * Deterministic pod logs (pure): the same pod and container always give the
 * same lines, one every {@link LOG_INTERVAL_S} seconds from the pod's start,
 * so `tailLines`, `sinceSeconds` and `follow` can be tested exactly. A
 * container that never started (image never built) has no logs: reading
 * them is Kubernetes' "waiting to start" error.
 */
import crypto from 'node:crypto';
import type { EmulatedContainer, EmulatedPod } from './pods';

/** Seconds between two log lines of a running container. @public */
export const LOG_INTERVAL_S = 10;
/** At most this many of the latest lines are kept per container (older ones rotated away). @public */
export const MAX_LOG_LINES = 2000;

const PATHS = [
  '/healthz',
  '/api/orders',
  '/api/items',
  '/api/cart',
  '/metrics',
];

/** One log line (`applicationLogEntry` fields). @public */
export interface LogLine {
  content: string;
  timeStamp: string;
  podName: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The n-th line a container writes (0-based). */
export function lineContent(
  pod: EmulatedPod,
  c: EmulatedContainer,
  n: number,
): string {
  if (n === 0) return `${c.name}: starting ${c.image}`;
  if (c.init) return n === 1 ? `${c.name}: done` : '';
  if (c.state === 'CrashLoopBackOff' && n % 5 === 4) {
    return `${
      c.name
    }: FATAL cannot connect to database: connection refused (restart ${Math.floor(
      n / 5,
    )})`;
  }
  const h = crypto
    .createHash('sha1')
    .update(`${pod.name}/${c.name}/${n}`)
    .digest();
  const path = PATHS[h[0] % PATHS.length];
  const status = h[1] % 17 === 0 ? 500 : 200;
  const ms = 2 + (h[2] % 120);
  return `${c.name}: GET ${path} ${status} ${ms}ms`;
}

/** Kubernetes' error for a container that has not started. */
export function waitingError(pod: EmulatedPod, c: EmulatedContainer): string {
  return `container "${c.name}" in pod "${pod.name}" is waiting to start: trying and failing to pull image`;
}

/** How many lines a container has written by `nowMs`. */
export function lineCount(
  pod: EmulatedPod,
  c: EmulatedContainer,
  nowMs: number,
): number {
  if (c.state === 'ImagePullBackOff' || c.state === 'ContainerCreating')
    return 0;
  if (c.init) return 2;
  const elapsed = Math.max(0, nowMs - Date.parse(pod.createdAt));
  return Math.floor(elapsed / 1000 / LOG_INTERVAL_S) + 1;
}

/** Lines `[from, to)` of a container, with their timestamps. */
export function linesBetween(
  pod: EmulatedPod,
  c: EmulatedContainer,
  from: number,
  to: number,
): LogLine[] {
  const start = Date.parse(pod.createdAt);
  const out: LogLine[] = [];
  for (let n = Math.max(0, from); n < to; n++) {
    out.push({
      content: lineContent(pod, c, n),
      timeStamp: iso(start + n * LOG_INTERVAL_S * 1000),
      podName: pod.name,
    });
  }
  return out;
}

/**
 * The lines a non-follow read returns: everything written by `nowMs`,
 * since `sinceSeconds` ago, the last `tailLines` of that. Returns the index
 * after the last line (where a follow continues).
 */
export function readLogs(
  pod: EmulatedPod,
  c: EmulatedContainer,
  nowMs: number,
  opts: { tailLines?: number; sinceSeconds?: number },
): { lines: LogLine[]; next: number } {
  const count = lineCount(pod, c, nowMs);
  let from = Math.max(0, count - MAX_LOG_LINES);
  if (opts.sinceSeconds !== undefined) {
    const since = nowMs - opts.sinceSeconds * 1000;
    const start = Date.parse(pod.createdAt);
    from = Math.max(from, Math.ceil((since - start) / 1000 / LOG_INTERVAL_S));
  }
  if (opts.tailLines !== undefined && opts.tailLines >= 0) {
    from = Math.max(from, count - opts.tailLines);
  }
  return { lines: linesBetween(pod, c, from, count), next: count };
}
