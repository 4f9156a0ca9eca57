/**
 * Argo CD sync windows (AppProject.spec.syncWindows), evaluated the way Argo CD
 * v3.5.1 does: 5-field cron + Go duration + IANA time zone, deny beats allow,
 * an assigned-but-inactive allow blocks, manualSync / syncOverrun exceptions.
 * Pure: no I/O, the time is a parameter.
 *
 * Deliberately separate from the gitops backend's window code (no shared
 * module, written from Argo CD's rules, not from the backend): the emulator is
 * an independent check of the backend, and a shared implementation would make
 * both agree on the same bug.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { parseGoDuration } from './goDuration';

/** AppProject sync window as stored in the project spec. @public */
export interface SyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  description?: string;
  syncOverrun?: boolean;
}

/** What windows are matched against. @public */
export interface WindowTarget {
  name: string;
  destination?: { name?: string; server?: string; namespace?: string };
}

/** Converts a glob (`*`, `?`, `[..]`, `{a,b}`) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inBraces = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += c.replace(/[.+^$()|\\\]{}]/g, m => `\\${m}`);
  }
  return new RegExp(`^${re}$`);
}

/** Glob match as Argo CD's util/glob does it. @public */
export function globMatch(pattern: string, value: string): boolean {
  try {
    return globToRegExp(pattern).test(value);
  } catch {
    return false;
  }
}

/** Windows of a project that apply to an application (Argo CD `Matches`). @public */
export function matchingWindows(
  windows: SyncWindow[] | undefined,
  app: WindowTarget,
): SyncWindow[] {
  const result: SyncWindow[] = [];
  const dst = app.destination ?? {};
  for (const w of windows ?? []) {
    const checks: boolean[] = [];
    if (w.applications?.length) {
      checks.push(w.applications.some(a => globMatch(a, app.name)));
    }
    if (w.clusters?.length) {
      checks.push(
        w.clusters.some(
          c =>
            (!!dst.name && globMatch(c, dst.name)) ||
            (!!dst.server && globMatch(c, dst.server)),
        ),
      );
    }
    if (w.namespaces?.length) {
      checks.push(
        w.namespaces.some(n => !!dst.namespace && globMatch(n, dst.namespace)),
      );
    }
    if (checks.length === 0) continue;
    const ok = w.andOperator ? checks.every(Boolean) : checks.some(Boolean);
    if (ok) result.push(w);
  }
  return result;
}

function parseSchedule(schedule: string) {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || schedule.trim() === '') {
    throw new Error(
      `cannot parse schedule '${schedule}': expected exactly 5 fields, found ${
        schedule.trim() === '' ? 0 : fields.length
      }: [${schedule}]`,
    );
  }
  try {
    // validate by parsing once
    CronExpressionParser.parse(schedule, { tz: 'UTC' });
  } catch (e) {
    throw new Error(
      `cannot parse schedule '${schedule}': ${(e as Error).message}`,
    );
  }
  return schedule;
}

function parseDuration(duration: string): number {
  try {
    return parseGoDuration(duration);
  } catch (e) {
    throw new Error(
      `cannot parse duration '${duration}': ${(e as Error).message}`,
    );
  }
}

/** Validates a window like Argo CD's project validation; throws Argo CD's text. @public */
export function validateWindow(w: SyncWindow): void {
  if (w.kind !== 'allow' && w.kind !== 'deny') {
    throw new Error(
      `kind '${w.kind ?? ''}' mismatch: can only be allow or deny`,
    );
  }
  parseSchedule(w.schedule ?? '');
  parseDuration(w.duration ?? '');
  zoneOffsetMs(w.timeZone, new Date(0));
  if (w.description && w.description.length > 255) {
    throw new Error('description must not exceed 255 characters');
  }
}

/** Current UTC offset of the window's zone at `at` (Argo CD uses the zone's offset now). */
function zoneOffsetMs(timeZone: string | undefined, at: Date): number {
  const zone = timeZone && timeZone !== '' ? timeZone : 'UTC';
  const dt = DateTime.fromJSDate(at).setZone(zone);
  if (!dt.isValid) {
    throw new Error(
      `cannot load timezone '${zone}': unknown time zone ${zone}`,
    );
  }
  return dt.offset * 60_000;
}

/**
 * Whether a window is active at `now`: the next cron fire after
 * (now + offset − duration) is before (now + offset), cron evaluated in UTC.
 * @public
 */
export function isWindowActive(w: SyncWindow, now: Date): boolean {
  const schedule = parseSchedule(w.schedule ?? '');
  const durationMs = parseDuration(w.duration ?? '');
  const offset = zoneOffsetMs(w.timeZone, now);
  const shifted = now.getTime() + offset;
  const from = new Date(shifted - durationMs);
  const it = CronExpressionParser.parse(schedule, {
    tz: 'UTC',
    currentDate: from,
  });
  const next = it.next().toDate();
  return next.getTime() < shifted;
}

/** Active windows among `windows` at `now`. @public */
export function activeWindows(windows: SyncWindow[], now: Date): SyncWindow[] {
  return windows.filter(w => isWindowActive(w, now));
}

/** Options of a can-sync evaluation. @public */
export interface CanSyncOptions {
  /** Manual (API/UI/CLI) or automated (auto-sync, self-heal). */
  manual: boolean;
  now: Date;
  /** For a running operation: when it started (enables syncOverrun). */
  operationStartedAt?: Date;
}

function allManual(ws: SyncWindow[]): boolean {
  return ws.length > 0 && ws.every(w => !!w.manualSync);
}

function allOverrun(ws: SyncWindow[]): boolean {
  return ws.length > 0 && ws.every(w => !!w.syncOverrun);
}

/**
 * Argo CD `SyncWindows.CanSync`. `windows` are the windows matching the app.
 * Throws if a window is invalid (callers turn that into `invalid sync window`).
 * @public
 */
export function canSync(windows: SyncWindow[], opts: CanSyncOptions): boolean {
  if (windows.length === 0) return true;
  const active = activeWindows(windows, opts.now);
  const activeDeny = active.filter(w => w.kind === 'deny');
  const startedAllowed =
    opts.operationStartedAt !== undefined &&
    canSync(windows, { manual: opts.manual, now: opts.operationStartedAt });
  if (activeDeny.length > 0) {
    if (opts.manual && allManual(activeDeny)) return true;
    if (startedAllowed && allOverrun(activeDeny)) return true;
    return false;
  }
  if (active.some(w => w.kind === 'allow')) return true;
  const inactiveAllows = windows.filter(
    w => w.kind === 'allow' && !active.includes(w),
  );
  if (inactiveAllows.length > 0) {
    if (opts.manual && allManual(inactiveAllows)) return true;
    if (startedAllowed && allOverrun(inactiveAllows)) return true;
    return false;
  }
  return true;
}

/** Next time (after `now`) any of the windows opens; undefined if none is an allow. @public */
export function nextWindowStart(w: SyncWindow, now: Date): Date {
  const offset = zoneOffsetMs(w.timeZone, now);
  const it = CronExpressionParser.parse(parseSchedule(w.schedule ?? ''), {
    tz: 'UTC',
    currentDate: new Date(now.getTime() + offset),
  });
  return new Date(it.next().toDate().getTime() - offset);
}
