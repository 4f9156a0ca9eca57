import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { parseDuration } from './duration';
import { validateWindow } from './syncWindow';

/**
 * Argo CD's answer to `GET /api/v1/applications/{name}/syncwindows`,
 * computed from the AppProject's `spec.syncWindows` and the application,
 * without asking Argo CD. Argo CD's rules (`v1alpha1` `SyncWindows.Matches`,
 * `SyncWindow.Active`, `SyncWindows.CanSync(true)`):
 * - a window is assigned when its `applications` globs match the
 *   application's name, or its `clusters` globs the destination's name or
 *   server, or its `namespaces` globs the destination namespace (all of the
 *   given ones with `andOperator`); a window naming none is assigned to none;
 * - active at t when the first cron fire after `t + offset − duration` is
 *   strictly before `t + offset`, the cron read in UTC and `offset` being the
 *   window zone's UTC offset at t;
 * - `canSync` (manual): an active deny blocks unless every active deny has
 *   `manualSync`; else an active allow permits; else assigned allows block
 *   unless every one has `manualSync`; no windows: permitted.
 * Pure: the time is a parameter.
 */

/** A project window with the fields matching reads. @internal */
export interface ProjectSyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  timeZone?: string;
  manualSync?: boolean;
  description?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  andOperator?: boolean;
}

/** What windows are matched against. @internal */
export interface WindowedApplication {
  name: string;
  destination?: { name?: string; server?: string; namespace?: string };
}

/** A window as the syncwindows answer gives it. @internal */
export interface AnsweredWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  manualSync: boolean;
}

/** The syncwindows answer (`applicationApplicationSyncWindowsResponse`). @internal */
export interface SyncWindowsAnswer {
  assignedWindows?: AnsweredWindow[];
  activeWindows?: AnsweredWindow[];
  canSync: boolean;
}

/** Anchored RegExp of a glob as Argo CD's `util/glob` reads it (`*`, `?`, `[…]`, `[!…]`, `{a,b}`; no separators). */
function globRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) {
      re += glob[++i].replace(/[.*+?^${}()|[\]\\/-]/g, m => `\\${m}`);
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
      } else {
        const body = glob.slice(i + 1, end);
        re += body.startsWith('!')
          ? `[^${body.slice(1).replace(/\\/g, '\\\\')}]`
          : `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|\]{}/-]/g, m => `\\${m}`);
  }
  return new RegExp(`^${re}$`, 's');
}

/** Glob match; a pattern that does not compile matches nothing. @internal */
export function globMatches(pattern: string, value: string): boolean {
  try {
    return globRegExp(pattern).test(value);
  } catch {
    return false;
  }
}

/** The project windows assigned to the application (Argo CD `Matches`). @internal */
export function assignedWindows<W extends ProjectSyncWindow>(
  windows: W[] | undefined,
  app: WindowedApplication,
): W[] {
  const dst = app.destination ?? {};
  return (windows ?? []).filter(w => {
    const checks: boolean[] = [];
    if (w.applications?.length) {
      checks.push(w.applications.some(p => globMatches(p, app.name)));
    }
    if (w.clusters?.length) {
      checks.push(
        w.clusters.some(
          p =>
            (!!dst.name && globMatches(p, dst.name)) ||
            (!!dst.server && globMatches(p, dst.server)),
        ),
      );
    }
    if (w.namespaces?.length) {
      checks.push(
        w.namespaces.some(
          p => !!dst.namespace && globMatches(p, dst.namespace),
        ),
      );
    }
    if (!checks.length) return false;
    return w.andOperator ? checks.every(Boolean) : checks.some(Boolean);
  });
}

/** Whether a (valid) window is active at t, as Argo CD computes it. @internal */
export function argoWindowActive(w: ProjectSyncWindow, t: number): boolean {
  const zone = w.timeZone || 'UTC';
  const offsetMs = DateTime.fromMillis(t, { zone }).offset * 60_000;
  const shifted = t + offsetMs;
  const from = shifted - parseDuration(w.duration ?? '')!;
  const next = CronExpressionParser.parse(w.schedule ?? '', {
    tz: 'UTC',
    currentDate: new Date(from),
  })
    .next()
    .toDate()
    .getTime();
  return next < shifted;
}

function answered(w: ProjectSyncWindow): AnsweredWindow {
  return {
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    manualSync: Boolean(w.manualSync),
  };
}

/**
 * The syncwindows answer for `app` at `t` from its project's windows;
 * `undefined` when an assigned window is invalid (Argo CD answers with an
 * error then: ask it).
 *
 * @internal
 */
export function syncWindowsAnswer(
  projectWindows: ProjectSyncWindow[] | undefined,
  app: WindowedApplication,
  t: number,
): SyncWindowsAnswer | undefined {
  const assigned = assignedWindows(projectWindows, app);
  const valid = assigned.every(
    w =>
      validateWindow({
        kind: w.kind as 'allow' | 'deny',
        schedule: w.schedule,
        duration: w.duration,
        timeZone: w.timeZone || 'UTC',
      }).length === 0,
  );
  if (!valid) return undefined;
  const active = assigned.filter(w => argoWindowActive(w, t));
  const activeDeny = active.filter(w => w.kind === 'deny');
  let canSync: boolean;
  if (activeDeny.length) {
    canSync = activeDeny.every(w => w.manualSync);
  } else if (active.some(w => w.kind === 'allow')) {
    canSync = true;
  } else {
    const allows = assigned.filter(w => w.kind === 'allow');
    canSync = allows.every(w => w.manualSync);
  }
  return {
    ...(assigned.length ? { assignedWindows: assigned.map(answered) } : {}),
    ...(active.length ? { activeWindows: active.map(answered) } : {}),
    canSync,
  };
}
