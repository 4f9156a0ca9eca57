import { EnvironmentState, HistoryEntry } from '@internal/plugin-gitops-common';
import { formatDuration, formatWhen } from '../windows';
import { EnvironmentPolicy } from './types';
import { coreOf } from './versions';
import { PolicyCheck } from './policyModel';

/* Checks about what runs: manual sync, source health, soak in the previous environment. Pure. */

export function manualSyncCheck(
  env: EnvironmentPolicy,
  state: EnvironmentState | undefined,
): PolicyCheck {
  const auto = state?.application?.autoSync;
  if (auto === false) {
    return {
      id: 'manual-sync',
      status: 'pass',
      message: `${env.name} has automated sync off, as required`,
    };
  }
  return {
    id: 'manual-sync',
    status: 'fail',
    message: auto
      ? `${
          env.name
        } has automated sync on; it requires manual sync (turn off automated sync of ${
          state?.application?.name ?? 'the application'
        } in Argo CD)`
      : `${env.name}'s sync policy is unknown; it requires manual sync`,
  };
}

export function sourceHealthyCheck(
  env: EnvironmentPolicy,
  source: EnvironmentState | undefined,
  overrideOk: boolean,
): PolicyCheck {
  const from = env.promotesFrom!;
  const status = source?.error ? undefined : source?.health?.status;
  if (status === 'Healthy') {
    return {
      id: 'source-healthy',
      status: 'pass',
      message: `${from} is Healthy`,
    };
  }
  let why = `${from}'s health is unknown`;
  if (source?.error) {
    why = `${from} could not be read (${source.error.message})`;
  } else if (status) {
    why = `${from} is ${status}`;
  }
  if (overrideOk && env.override?.bypass.includes('source-healthy')) {
    return {
      id: 'source-healthy',
      status: 'pass',
      message: `${why}; bypassed by the emergency override`,
    };
  }
  return {
    id: 'source-healthy',
    status: 'fail',
    message: `${why}; promotions out of ${from} need it Healthy`,
  };
}

/**
 * "The version ran healthy in the previous environment" means, with X.Y.Z
 * the version's core (`v1.2.0` and `v1.2.0-rc.3` share `1.2.0`):
 * (a) the previous environment runs X.Y.Z now, is Healthy, and has run it for
 *     at least the soak time (since its last deploy); or
 * (b) its history has an earlier deployment of X.Y.Z that stayed at least the
 *     soak time (and longer than zero) before the next deployment replaced it.
 *     Argo CD keeps only successful syncs in history, so a successful sync that
 *     stayed that long counts as having run healthy.
 */
export function previousEnvironmentCheck(
  prev: string,
  soakMs: number,
  version: string,
  source: EnvironmentState | undefined,
  history: HistoryEntry[],
  now: number,
): PolicyCheck {
  const base = { id: 'previous-environment-healthy' };
  const core = coreOf(version);
  if (!core) {
    return {
      ...base,
      status: 'fail',
      field: 'version',
      message: `'${version}' is not a semantic version, so it cannot be matched to what ran in ${prev}`,
    };
  }
  const soakText = soakMs > 0 ? ` (soak time ${formatDuration(soakMs)})` : '';
  const rows = history
    .filter(h => h.version && h.deployedAt)
    .map(h => ({ ...h, t: Date.parse(h.deployedAt!) }))
    .filter(h => !Number.isNaN(h.t))
    .sort((a, b) => a.t - b.t);

  // (a) running now
  let reasonNow: string | undefined;
  if (source?.version && coreOf(source.version) === core) {
    const health = source.health?.status;
    // Healthy since (Argo CD's health transition, not before the deploy), else the deploy time.
    let since = Date.parse(source.healthySince ?? source.lastDeployedAt ?? '');
    if (Number.isNaN(since)) {
      const last = [...rows].reverse().find(r => r.version === source.version);
      since = last ? last.t : NaN;
    }
    if (health !== 'Healthy') {
      reasonNow = `${prev} runs ${source.version} but is ${
        health ?? 'of unknown health'
      }`;
    } else if (soakMs === 0) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} runs ${source.version} (same ${core}) and is Healthy${
          Number.isNaN(since) ? '' : ` for ${formatDuration(now - since)}`
        }`,
      };
    } else if (Number.isNaN(since)) {
      reasonNow = `${prev} runs ${
        source.version
      } Healthy, but its deploy time is unknown, so the soak time of ${formatDuration(
        soakMs,
      )} cannot be confirmed`;
    } else if (now - since >= soakMs) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} runs ${
          source.version
        } (same ${core}) Healthy for ${formatDuration(now - since)}${soakText}`,
      };
    } else {
      reasonNow = `${prev} runs ${source.version} Healthy for ${formatDuration(
        now - since,
      )} only; the soak time is ${formatDuration(
        soakMs,
      )} (enough at ${formatWhen(since + soakMs, now, 'UTC')})`;
    }
  }

  // (b) an earlier deployment that ran Healthy (recorded by our change or
  // seen by the read side) for the soak time before the next one replaced
  // it, and was never seen Degraded.
  let reasonPast: string | undefined;
  for (let i = rows.length - 2; i >= 0; i--) {
    const r = rows[i];
    if (coreOf(r.version) !== core) continue;
    if (r.degradedAt) {
      reasonPast ??= `${prev} ran ${r.version}, but it was Degraded there (seen ${r.degradedAt})`;
      continue;
    }
    const healthy = r.healthySince ? Date.parse(r.healthySince) : NaN;
    if (Number.isNaN(healthy)) {
      reasonPast ??= `${prev} ran ${r.version}, but nothing recorded it Healthy there`;
      continue;
    }
    const from = Math.max(healthy, r.t);
    const stayed = rows[i + 1].t - from;
    if (stayed > 0 && stayed >= soakMs) {
      return {
        ...base,
        status: 'pass',
        message: `${prev} ran ${r.version} (same ${core}) for ${formatDuration(
          stayed,
        )} from ${new Date(from).toISOString()} until ${
          rows[i + 1].version
        } replaced it${soakText}`,
      };
    }
    reasonPast ??= `${prev} ran ${r.version} Healthy for ${formatDuration(
      Math.max(0, stayed),
    )} only before ${rows[i + 1].version} replaced it${soakText}`;
  }

  return {
    ...base,
    status: 'fail',
    field: 'version',
    message:
      reasonNow ??
      reasonPast ??
      `${version} never ran healthy in ${prev}: ${prev} runs ${
        source?.version ?? 'an unknown version'
      } and its history has no ${core} that stayed${
        soakMs > 0 ? ` ${formatDuration(soakMs)}` : ''
      } (hotfixes too must run in ${prev} first)`,
  };
}
