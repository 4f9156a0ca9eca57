import { CronExpression, CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import { parseDuration } from './duration';

/**
 * One sync window and Argo CD's semantics for a set of them at one instant:
 * validation naming the field, the parsed schedule, when it fires, whether
 * it is active, `CanSync`; and the conversion of Argo CD's windows. Pure.
 */

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
export interface ParsedWindow extends SyncWindow {
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

/** Parses a window; an invalid one throws naming every problem. */
export function parse(w: SyncWindow): ParsedWindow {
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
export function nextFire(w: ParsedWindow, t: number): number | undefined {
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
export function canSync(
  ws: ParsedWindow[],
  t: number,
  manual: boolean,
): boolean {
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
