import { HistoryEntry, RollbackTarget } from '@internal/plugin-gitops-common';
import { EnvironmentPolicy, PipelinePolicy } from './types';
import { parseVersionTag } from './versions';
import {
  PolicyChange,
  PolicyCheck,
  RecordedDeployment,
  lc,
} from './policyModel';

/* Checks about the version: pipeline order, tag rules, rollback target. Pure. */

export function pipelineOrderCheck(
  pipeline: PipelinePolicy,
  env: EnvironmentPolicy,
  change: PolicyChange,
): PolicyCheck {
  if (!env.promotesFrom) {
    return {
      id: 'pipeline-order',
      status: 'fail',
      field: 'environment',
      message: `${env.name} is the first environment of pipeline ${pipeline.name}; versions enter it from CI, not by promotion`,
    };
  }
  if (
    change.sourceEnvironment &&
    change.sourceEnvironment !== env.promotesFrom
  ) {
    return {
      id: 'pipeline-order',
      status: 'fail',
      field: 'environment',
      message: `${env.name} takes versions only from ${env.promotesFrom}, not from ${change.sourceEnvironment} (pipeline ${pipeline.name})`,
    };
  }
  return {
    id: 'pipeline-order',
    status: 'pass',
    message: `${env.name} takes versions from ${env.promotesFrom}`,
  };
}

export function versionChecks(
  env: EnvironmentPolicy,
  version: string,
): PolicyCheck[] {
  const checks: PolicyCheck[] = [];
  const forbidden = env.forbiddenTags.includes(lc(version));
  checks.push({
    id: 'forbidden-tag',
    status: forbidden ? 'fail' : 'pass',
    field: forbidden ? 'version' : undefined,
    message: forbidden
      ? `'${version}' is a mutable tag and never allowed in ${env.name}`
      : `${version} is not a forbidden tag (${env.forbiddenTags.join(', ')})`,
  });
  if (env.requireSemver) {
    const parsed = parseVersionTag(version);
    checks.push({
      id: 'semver',
      status: parsed.ok ? 'pass' : 'fail',
      field: parsed.ok ? undefined : 'version',
      message: parsed.ok
        ? `${version} is a semantic version`
        : `${parsed.reason}; ${env.name} requires semantic versions`,
    });
  }
  if (env.tagPattern) {
    const ok = env.tagPattern.test(version);
    checks.push({
      id: 'tag-pattern',
      status: ok ? 'pass' : 'fail',
      field: ok ? undefined : 'version',
      message: ok
        ? `${version} matches ${env.name}'s tag pattern ${env.tagPattern.source}`
        : `'${version}' does not match ${env.name}'s tag pattern ${env.tagPattern.source}`,
    });
  }
  return checks;
}

export function rollbackTargetCheck(
  env: EnvironmentPolicy,
  target: RollbackTarget | undefined,
  history: HistoryEntry[],
  recorded: RecordedDeployment[],
): { check: PolicyCheck; entry?: HistoryEntry; recordedVersion?: string } {
  const entry = target
    ? history.find(
        h =>
          (target.historyId !== undefined && h.id === target.historyId) ||
          (target.revision !== undefined && h.revision === target.revision) ||
          (target.version !== undefined && h.version === target.version),
      )
    : undefined;
  const what =
    target?.version ??
    target?.revision ??
    (target?.historyId ? `history #${target.historyId}` : 'nothing');
  const record =
    !entry && target?.version
      ? recorded.find(r => r.version === target.version)
      : undefined;
  if (record) {
    return {
      recordedVersion: record.version,
      check: {
        id: 'rollback-target',
        status: 'pass',
        message: `${env.name} ran ${
          record.version
        } before (deployed by change ${record.changeId}${
          record.finishedAt ? ` at ${record.finishedAt}` : ''
        })`,
      },
    };
  }
  if (!entry) {
    return {
      check: {
        id: 'rollback-target',
        status: 'fail',
        field: 'rollbackTo',
        message: `${what} is not in ${env.name}'s deployment history; a rollback goes back to an earlier deployment of ${env.name}`,
      },
    };
  }
  return {
    entry,
    check: {
      id: 'rollback-target',
      status: 'pass',
      message: `${env.name} ran ${
        entry.version ?? entry.revision ?? `#${entry.id}`
      } before (history #${entry.id}${
        entry.deployedAt ? `, deployed ${entry.deployedAt}` : ''
      })`,
    },
  };
}
