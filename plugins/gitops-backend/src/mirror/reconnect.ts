/**
 * When and how a mirror reconnects. Pure.
 *
 * - backoff: exponential from `initialBackoffMs`, capped at `maxBackoffMs`,
 *   with "equal jitter" (half fixed, half random) so that replicas that lost
 *   the same Argo CD do not come back in step;
 * - resume (watch from the last resourceVersion, then a list to fill the gap:
 *   Argo CD replays nothing) unless the stream cannot resume: no
 *   resourceVersion yet, an error message on the stream (`{"error":…}`, e.g.
 *   410 "too old resource version" from a Kubernetes-style server), a 400/410
 *   answer to the resume, or too many failures in a row — then a full resync.
 */
import { parseResourceVersion } from './MirrorStore';
import { MirrorConfig } from './types';

/** How a watch ended. */
export type StreamEnd =
  /** The server closed the stream without an error message. */
  | { kind: 'closed' }
  /** The server sent `{"error": …}`. */
  | { kind: 'error-line'; message: string; httpCode?: number }
  /** The stream (or the list before it) could not be opened; `status` when Argo CD answered. */
  | { kind: 'failed'; status?: number; message: string }
  /** We stopped it. */
  | { kind: 'aborted' };

/** What to do next. */
export type NextStep =
  | { kind: 'stop' }
  | { kind: 'resume'; resourceVersion: string; delayMs: number }
  | { kind: 'resync'; delayMs: number; reason: string };

/** Delay before reconnect attempt `attempt` (0-based). */
export function backoffDelayMs(
  attempt: number,
  cfg: Pick<MirrorConfig, 'initialBackoffMs' | 'maxBackoffMs'>,
  random: () => number = Math.random,
): number {
  const exp = cfg.initialBackoffMs * 2 ** Math.min(Math.max(attempt, 0), 30);
  const cap = Math.min(cfg.maxBackoffMs, exp);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Whether a stream error message says the resourceVersion cannot be resumed from. */
export function isTooOld(message: string, httpCode?: number): boolean {
  return (
    httpCode === 410 ||
    /too old resource version|resource ?version .*(expired|too old)|\bgone\b/i.test(
      message,
    )
  );
}

/**
 * The next step after a watch ended. `failures` counts the ends in a row
 * without an event or a successful list in between (this one included).
 */
export function nextStep(input: {
  end: StreamEnd;
  resourceVersion?: string;
  failures: number;
  cfg: Pick<
    MirrorConfig,
    'initialBackoffMs' | 'maxBackoffMs' | 'resyncAfterFailures'
  >;
  random?: () => number;
}): NextStep {
  const { end, resourceVersion, failures, cfg } = input;
  if (end.kind === 'aborted') return { kind: 'stop' };
  const delayMs = backoffDelayMs(Math.max(failures - 1, 0), cfg, input.random);
  if (parseResourceVersion(resourceVersion) === undefined) {
    return {
      kind: 'resync',
      delayMs,
      reason: 'no resourceVersion to resume from',
    };
  }
  if (end.kind === 'error-line') {
    return {
      kind: 'resync',
      delayMs,
      reason: isTooOld(end.message, end.httpCode)
        ? 'the resourceVersion is too old to resume from'
        : 'the stream ended with an error',
    };
  }
  if (end.kind === 'failed' && (end.status === 410 || end.status === 400)) {
    return {
      kind: 'resync',
      delayMs,
      reason: `Argo CD refused to resume (HTTP ${end.status})`,
    };
  }
  if (failures >= cfg.resyncAfterFailures) {
    return {
      kind: 'resync',
      delayMs,
      reason: `${failures} failed reconnects in a row`,
    };
  }
  return { kind: 'resume', resourceVersion: resourceVersion!, delayMs };
}

/**
 * Whether a list taken after a resume contradicts the mirror: a list
 * resourceVersion lower than one already seen means the server's versions
 * were reset (restored or replaced Argo CD), so nothing held can be trusted.
 */
export function listContradicts(
  heldRv: string | undefined,
  listRv: string | undefined,
): boolean {
  const held = parseResourceVersion(heldRv);
  const list = parseResourceVersion(listRv);
  return held !== undefined && list !== undefined && list < held;
}
