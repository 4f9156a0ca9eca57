import { WindowState } from '@internal/plugin-gitops-common';
import { CronExpression, CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import { formatDuration, parseDuration } from './duration';

/**
 * A sync window: from each `schedule` fire (5-field cron in `timeZone`) for
 * `duration`, changes are allowed (`allow`) or forbidden (`deny`).
 *
 * @internal
 */
export interface SyncWindow {
  kind: 'allow' | 'deny';
  /** 5-field cron: minute hour day-of-month month day-of-week. */
  schedule: string;
  /** Go-style duration, e.g. `12h`. */
  duration: string;
  /** IANA time zone; default `UTC`. */
  timeZone?: string;
  /** Argo CD: a manual sync may run while this window blocks. */
  manualSync?: boolean;
  /** Where the window comes from: our policy, or Argo CD's AppProject. */
  source: 'policy' | 'argocd';
  description?: string;
}

/** A window with its schedule parsed. @internal */
interface ParsedWindow extends SyncWindow {
  durationMs: number;
  zone: string;
  cron: CronExpression;
}

/** Why a window is invalid, naming the field. @internal */
export interface WindowProblem {
  field: 'kind' | 'schedule' | 'duration' | 'timeZone';
  reason: string;
}

/**
 * Validates one window; returns the problems (empty when valid).
 *
 * @internal
 */
export function validateWindow(w: Partial<SyncWindow>): WindowProblem[] {
  const problems: WindowProblem[] = [];
  if (w.kind !== 'allow' && w.kind !== 'deny') {
    problems.push({
      field: 'kind',
      reason: `kind '${w.kind}' must be 'allow' or 'deny'`,
    });
  }
  const zone = w.timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) {
    problems.push({
      field: 'timeZone',
      reason: `unknown time zone '${zone}' (use an IANA name such as Europe/Berlin)`,
    });
  }
  const fields = String(w.schedule ?? '')
    .trim()
    .split(/\s+/);
  if (fields.length !== 5 || !w.schedule) {
    problems.push({
      field: 'schedule',
      reason: `cannot parse schedule '${w.schedule}': expected 5 fields (minute hour day-of-month month day-of-week)`,
    });
  } else {
    try {
      CronExpressionParser.parse(w.schedule, { tz: 'UTC' }).next();
    } catch (e) {
      problems.push({
        field: 'schedule',
        reason: `cannot parse schedule '${w.schedule}': ${
          (e as Error).message
        }`,
      });
    }
  }
  const ms = parseDuration(String(w.duration ?? ''));
  if (ms === undefined || ms <= 0) {
    problems.push({
      field: 'duration',
      reason: `cannot parse duration '${w.duration}': expected a positive duration such as 12h or 1h30m`,
    });
  }
  return problems;
}

function parse(w: SyncWindow): ParsedWindow {
  const problems = validateWindow(w);
  if (problems.length) {
    throw new Error(
      `invalid sync window: ${problems.map(p => p.reason).join('; ')}`,
    );
  }
  const zone = w.timeZone ?? 'UTC';
  return {
    ...w,
    durationMs: parseDuration(w.duration)!,
    zone,
    cron: CronExpressionParser.parse(w.schedule, { tz: zone }),
  };
}

/** First fire strictly after t (ms). */
function nextFire(w: ParsedWindow, t: number): number | undefined {
  try {
    w.cron.reset(new Date(t));
    return w.cron.next().toDate().getTime();
  } catch {
    return undefined;
  }
}

/**
 * Whether the window is active at t, as Argo CD defines it: the first fire
 * after `t - duration` is at or before t. Only `next()` is used, so the
 * result agrees with {@link nextFire} around DST changes.
 */
function activeAt(w: ParsedWindow, t: number): boolean {
  const f = nextFire(w, t - w.durationMs);
  return f !== undefined && f <= t;
}

/** Argo CD's `CanSync(isManual)` over one set of windows. */
function canSync(ws: ParsedWindow[], t: number, manual: boolean): boolean {
  if (!ws.length) return true;
  const active = ws.filter(w => activeAt(w, t));
  const activeDeny = active.filter(w => w.kind === 'deny');
  if (activeDeny.length) {
    return manual && activeDeny.every(w => w.manualSync);
  }
  if (active.some(w => w.kind === 'allow')) return true;
  const allows = ws.filter(w => w.kind === 'allow');
  if (allows.length) {
    return manual && allows.every(w => w.manualSync);
  }
  return true;
}

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

/**
 * Converts Argo CD's `assignedWindows` (from
 * `GET /api/v1/applications/{name}/syncwindows` or the AppProject) to windows.
 *
 * @internal
 */
export function fromArgoSyncWindows(
  items: Array<{
    kind?: string;
    schedule?: string;
    duration?: string;
    timeZone?: string;
    manualSync?: boolean;
    description?: string;
  }> = [],
): SyncWindow[] {
  return items
    .map(w => ({
      kind: w.kind as SyncWindow['kind'],
      schedule: w.schedule ?? '',
      duration: w.duration ?? '',
      timeZone: w.timeZone || 'UTC',
      manualSync: Boolean(w.manualSync),
      source: 'argocd' as const,
      ...(w.description ? { description: w.description } : {}),
    }))
    .filter(w => validateWindow(w).length === 0);
}
