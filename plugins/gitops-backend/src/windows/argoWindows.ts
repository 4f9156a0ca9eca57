import { WindowState } from '@internal/plugin-gitops-common';
import { DateTime } from 'luxon';
import {
  SyncWindow,
  WindowEvaluation,
  evaluateWindows,
  formatWhen,
  validateWindow,
} from './windows';

/** One window as Argo CD reports or configures it (any subset of fields). @internal */
export interface ArgoWindowInput {
  kind?: string;
  schedule?: string;
  duration?: string;
  timeZone?: string;
  manualSync?: boolean;
  description?: string;
}

/**
 * What Argo CD says about an application's windows:
 * `GET /api/v1/applications/{name}/syncwindows` (`assignedWindows`,
 * `activeWindows`, `canSync` — its verdict for a manual sync, like ours) and
 * the AppProject's `spec.syncWindows` (the only place that names each
 * window's `timeZone`; the syncwindows answer does not carry it).
 *
 * @internal
 */
export interface ArgoWindowFacts {
  assigned: ArgoWindowInput[];
  active: ArgoWindowInput[];
  /** Argo CD's verdict; authoritative for its own windows. */
  canSync?: boolean;
  /** The project's windows (with `timeZone`), when the project could be read. */
  projectWindows?: ArgoWindowInput[];
}

function same(a: ArgoWindowInput, b: ArgoWindowInput): boolean {
  return (
    a.kind === b.kind &&
    a.schedule === b.schedule &&
    a.duration === b.duration &&
    Boolean(a.manualSync) === Boolean(b.manualSync)
  );
}

/**
 * Argo CD's assigned windows with their time zone: taken from the window
 * itself when present, else from the matching project window (same kind,
 * schedule, duration, manualSync), else UTC (Argo CD's default). Invalid
 * windows are dropped. Pure.
 *
 * @internal
 */
export function argoWindowsWithZones(facts: ArgoWindowFacts): SyncWindow[] {
  return facts.assigned
    .map(w => {
      const p = facts.projectWindows?.find(x => same(x, w));
      return {
        kind: w.kind as SyncWindow['kind'],
        schedule: w.schedule ?? '',
        duration: w.duration ?? '',
        timeZone: w.timeZone || p?.timeZone || 'UTC',
        manualSync: Boolean(w.manualSync),
        source: 'argocd' as const,
        ...(w.description || p?.description
          ? { description: w.description || p?.description }
          : {}),
      };
    })
    .filter(w => validateWindow(w).length === 0);
}

function describeWindow(w: ArgoWindowInput): string {
  return `${w.kind ?? '?'} '${w.schedule ?? '?'}' for ${w.duration ?? '?'}`;
}

/** Adds the UTC time to a zoned description: `Mon 09:00 EST (14:00 UTC)`. */
export function formatWhenWithUtc(
  t: number,
  now: number,
  zone: string,
): string {
  const local = formatWhen(t, now, zone);
  if (zone === 'UTC' || zone === 'Etc/UTC') return local;
  const a = DateTime.fromMillis(t, { zone });
  const u = DateTime.fromMillis(t, { zone: 'UTC' });
  // The UTC day only when it differs from the local one.
  const utc = u
    .setLocale('en-GB')
    .toFormat(a.toISODate() === u.toISODate() ? 'HH:mm' : 'ccc HH:mm');
  return `${local} (${utc} UTC)`;
}

/** Options of {@link decideWindows}. @internal */
export interface DecideWindowsOptions {
  /** Bypass the policy's windows (approved emergency override). */
  ignorePolicyWindows?: boolean;
  horizonMs?: number;
}

/**
 * Whether a change may run now, with Argo CD's own verdict authoritative for
 * Argo CD's windows: the policy's windows are evaluated by us; Argo CD's
 * windows are open exactly when Argo CD says `canSync` (our evaluation, with
 * each window's time zone, only describes when they open or close). When
 * Argo CD gives no verdict, our evaluation of its windows stands. Pure.
 *
 * @internal
 */
export function decideWindows(
  policyWindows: SyncWindow[],
  argo: ArgoWindowFacts | undefined,
  now: Date,
  options: DecideWindowsOptions = {},
): WindowEvaluation & { argoCdCanSync?: boolean } {
  const argoWindows = argo ? argoWindowsWithZones(argo) : [];
  const policy = options.ignorePolicyWindows ? [] : policyWindows;
  const t0 = now.getTime();
  const combined = evaluateWindows([...policy, ...argoWindows], now, {
    horizonMs: options.horizonMs,
    displayZone: (policy[0] ?? argoWindows[0])?.timeZone,
  });
  const verdict = argo?.canSync;
  if (verdict === undefined) {
    return withUtc(
      options.ignorePolicyWindows && policyWindows.length && !argoWindows.length
        ? {
            ...combined,
            message: 'sync windows bypassed by the emergency override',
          }
        : combined,
      policy,
      argoWindows,
      t0,
    );
  }
  const policyEval = policy.length
    ? evaluateWindows(policy, now, { horizonMs: options.horizonMs })
    : undefined;
  const ourArgoOpen = argoWindows.length
    ? evaluateWindows(argoWindows, now, { horizonMs: options.horizonMs }).open
    : true;
  if (verdict === ourArgoOpen) {
    return {
      ...withUtc(combined, policy, argoWindows, t0),
      argoCdCanSync: verdict,
    };
  }
  // Argo CD decides differently from our reading of its windows: it wins.
  const policyOpen = policyEval?.open ?? true;
  const activeText = (argo!.active ?? []).map(describeWindow).join(', ');
  if (!verdict) {
    return {
      open: false,
      applies: true,
      blockedBy: policyOpen ? ['argocd'] : ['policy', 'argocd'],
      argoCdCanSync: false,
      message: `blocked by Argo CD's sync window (Argo CD says it cannot sync now${
        activeText ? `; active: ${activeText}` : ''
      })`,
    };
  }
  // Argo CD allows: only the policy's windows can still block.
  if (!policyEval) {
    return {
      open: true,
      applies: true,
      argoCdCanSync: true,
      message: "inside the window (Argo CD's sync windows allow it now)",
    };
  }
  return {
    ...withUtc(policyEval, policy, [], t0),
    applies: true,
    argoCdCanSync: true,
  };
}

/** Re-writes the "closes/next opens" time with the window's zone and UTC. */
function withUtc<T extends WindowEvaluation>(
  e: T,
  policy: SyncWindow[],
  argo: SyncWindow[],
  t0: number,
): T {
  const zone = (policy[0] ?? argo[0])?.timeZone ?? 'UTC';
  const at = e.open ? e.openUntil : e.nextOpen;
  if (!at || zone === 'UTC' || zone === 'Etc/UTC') return e;
  const t = Date.parse(at);
  const plain = formatWhen(t, t0, zone);
  return {
    ...e,
    message: e.message.replace(plain, formatWhenWithUtc(t, t0, zone)),
  };
}

/** The public part of a window decision. @internal */
export function toWindowState(
  e: WindowEvaluation & { argoCdCanSync?: boolean },
): WindowState {
  return {
    open: e.open,
    message: e.message,
    ...(e.openUntil ? { openUntil: e.openUntil } : {}),
    ...(e.nextOpen ? { nextOpen: e.nextOpen } : {}),
    ...(e.argoCdCanSync !== undefined
      ? { argoCdCanSync: e.argoCdCanSync }
      : {}),
  };
}
