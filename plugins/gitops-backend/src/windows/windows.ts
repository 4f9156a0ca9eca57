import { WindowState } from '@internal/plugin-gitops-common';
import { DateTime } from 'luxon';
import { formatDuration } from './duration';
import { SyncWindow, canSync, nextFire, parse } from './syncWindow';

export { fromArgoSyncWindows, validateWindow } from './syncWindow';
export type { SyncWindow, WindowProblem } from './syncWindow';

/** Options of {@link evaluateWindows}. @internal */
export interface EvaluateWindowsOptions {
  /**
   * Evaluate as a manual sync (Argo CD's `manualSync` lets it through).
   * Our own changes are manual syncs for Argo CD; default true.
   */
  manual?: boolean;
  /** Ignore our policy windows (approved emergency override). Argo CD's windows still apply. */
  ignorePolicyWindows?: boolean;
  /** Time zone used in messages; default the first window's zone, else UTC. */
  displayZone?: string;
  /** How far to look for the next transition; default 90 days. */
  horizonMs?: number;
}

/** Detailed result: the {@link WindowState} plus who blocks. @internal */
export interface WindowEvaluation extends WindowState {
  /** Which side blocks when closed. */
  blockedBy?: Array<'policy' | 'argocd'>;
  /** Whether any window applies at all. */
  applies: boolean;
}

const MAX_STEPS = 2000;

/**
 * Pure window maths: is a change allowed at `now`, until when, and when does
 * it next open. Policy windows and Argo CD's windows are each evaluated as
 * Argo CD does (deny beats allow; when any allow is assigned one must be
 * active; `manualSync` lets manual syncs through a blocking window), and the
 * change may run only when both sides allow it.
 *
 * @internal
 */
export function evaluateWindows(
  windows: SyncWindow[],
  now: Date,
  options: EvaluateWindowsOptions = {},
): WindowEvaluation {
  const manual = options.manual ?? true;
  const parsed = windows
    .filter(w => !(options.ignorePolicyWindows && w.source === 'policy'))
    .map(parse);
  const policy = parsed.filter(w => w.source === 'policy');
  const argo = parsed.filter(w => w.source === 'argocd');
  const zone = options.displayZone ?? windows[0]?.timeZone ?? 'UTC';
  const t0 = now.getTime();
  const horizon = t0 + (options.horizonMs ?? 90 * 86_400_000);

  if (!parsed.length) {
    return {
      open: true,
      applies: false,
      message:
        options.ignorePolicyWindows && windows.length
          ? 'sync windows bypassed by the emergency override'
          : 'no sync window applies',
    };
  }

  const openAt = (t: number) =>
    canSync(policy, t, manual) && canSync(argo, t, manual);
  const blockers = (t: number) => {
    const b: Array<'policy' | 'argocd'> = [];
    if (!canSync(policy, t, manual)) b.push('policy');
    if (!canSync(argo, t, manual)) b.push('argocd');
    return b;
  };

  // Next instant after t at which any window starts or ends.
  const nextTransition = (t: number): number | undefined => {
    let best: number | undefined;
    for (const w of parsed) {
      // The next fire starts a window; the end of the earliest fire still
      // in effect is at or before the next end of activity (extra points
      // are harmless: the walk only re-evaluates there).
      const candidates: Array<number | undefined> = [nextFire(w, t)];
      const f = nextFire(w, t - w.durationMs);
      if (f !== undefined && f <= t) {
        candidates.push(f + w.durationMs);
      }
      for (const c of candidates) {
        if (c !== undefined && c > t && (best === undefined || c < best)) {
          best = c;
        }
      }
    }
    return best;
  };

  const findChange = (wantOpen: boolean): number | undefined => {
    let t = t0;
    for (let i = 0; i < MAX_STEPS; i++) {
      const n = nextTransition(t);
      if (n === undefined || n > horizon) return undefined;
      if (openAt(n) === wantOpen) return n;
      t = n;
    }
    return undefined;
  };

  if (openAt(t0)) {
    const until = findChange(false);
    const suffix = policy.length ? '' : " (Argo CD's sync windows)";
    return {
      open: true,
      applies: true,
      ...(until !== undefined
        ? { openUntil: new Date(until).toISOString() }
        : {}),
      message:
        until !== undefined
          ? `inside the window${suffix}; closes ${formatWhen(until, t0, zone)}`
          : `inside the window${suffix}`,
    };
  }
  const by = blockers(t0);
  const next = findChange(true);
  const what = by.includes('policy')
    ? 'outside the window'
    : "blocked by Argo CD's sync window";
  return {
    open: false,
    applies: true,
    blockedBy: by,
    ...(next !== undefined ? { nextOpen: new Date(next).toISOString() } : {}),
    message:
      next !== undefined
        ? `${what}; next opens ${formatWhen(next, t0, zone)}`
        : `${what}; it does not open within the next ${formatDuration(
            horizon - t0,
          )}`,
  };
}

/**
 * `Mon 06:00 UTC` within the next 6 days, else `Mon 7 Dec 06:00 UTC`.
 *
 * @internal
 */
export function formatWhen(t: number, now: number, zone: string): string {
  const dt = DateTime.fromMillis(t, { zone });
  const fmt = t - now < 6 * 86_400_000 ? 'ccc HH:mm' : 'ccc d LLL yyyy HH:mm';
  const name =
    zone === 'UTC' || zone === 'Etc/UTC' ? 'UTC' : dt.toFormat('ZZZZ');
  return `${dt.setLocale('en-GB').toFormat(fmt)} ${name}`;
}
