import type { HistoryEntry } from '@internal/plugin-gitops-common';
import { EnvironmentPolicy } from './types';
import { coreOf } from './versions';
import { PolicyCheck, RecordedDeployment } from './policyModel';

/* Lineage: a version's X.Y.Z must have run in the previous environment. Pure. */

/**
 * `lineage`: the version shares X.Y.Z with a version that ran in the
 * previous environment — what runs there now, a row of its deployment
 * history, or a deployment our record holds. The version to promote is a
 * later build of what the previous environment ran (`v1.2.0-rc.2` after
 * `v1.2.0-dev.3`), not something that never went through it.
 *
 * @internal
 */
export function lineageCheck(
  env: EnvironmentPolicy,
  version: string,
  ran: {
    running?: string;
    history: HistoryEntry[];
    recorded: RecordedDeployment[];
  },
): PolicyCheck {
  const prev = env.promotesFrom!;
  const base = { id: 'lineage' };
  const core = coreOf(version);
  if (!core) {
    return {
      ...base,
      status: 'fail',
      field: 'version',
      message: `'${version}' is not a semantic version, so its lineage in ${prev} cannot be checked`,
    };
  }
  if (ran.running && coreOf(ran.running) === core) {
    return {
      ...base,
      status: 'pass',
      message: `${version} shares ${core} with ${ran.running}, which ${prev} runs now`,
    };
  }
  const past = [
    ...ran.history
      .filter(h => h.version && coreOf(h.version) === core)
      .map(h => ({ version: h.version!, at: h.deployedAt })),
    ...ran.recorded
      .filter(r => coreOf(r.version) === core)
      .map(r => ({ version: r.version, at: r.finishedAt })),
  ].sort((a, b) => Date.parse(b.at ?? '') - Date.parse(a.at ?? '') || 0);
  if (past.length) {
    const p = past[0];
    return {
      ...base,
      status: 'pass',
      message: `${version} shares ${core} with ${
        p.version
      }, which ran in ${prev}${p.at ? ` (deployed ${p.at})` : ''}`,
    };
  }
  return {
    ...base,
    status: 'fail',
    field: 'version',
    message: `no ${core} version ever ran in ${prev} (${prev} runs ${
      ran.running ?? 'an unknown version'
    }); ${env.name} takes only versions built from what ran in ${prev}`,
  };
}
