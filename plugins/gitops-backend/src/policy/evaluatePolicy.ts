import { WindowEvaluation, decideWindows, evaluateWindows } from '../windows';
import { PipelinePolicy } from './types';
import {
  PolicyChange,
  PolicyCheck,
  PolicyEvaluation,
  PolicySnapshot,
} from './policyModel';
import {
  approvalChecks,
  overrideChecks,
  overrideValid,
} from './approvalChecks';
import {
  manualSyncCheck,
  previousEnvironmentCheck,
  sourceHealthyCheck,
} from './healthChecks';
import { imageChecks, sameCoreVersionsRan } from './imageChecks';
import { verificationCheck } from './verificationChecks';
import { lineageCheck } from './lineageChecks';
import {
  pipelineOrderCheck,
  rollbackTargetCheck,
  versionChecks,
} from './versionChecks';

// The engine's model and the approval evaluation stay importable from here.
export * from './policyModel';
export { evaluateApprovals } from './approvalChecks';
export type { ApprovalEvaluation } from './approvalChecks';

/**
 * The pure policy engine: given a change, the environment policy and a
 * snapshot, returns every check with a sentence for people. No I/O.
 *
 * @internal
 */
export function evaluatePolicy(
  pipeline: PipelinePolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): PolicyEvaluation {
  const env = pipeline.environments.find(e => e.name === change.environment);
  if (!env) {
    throw new Error(
      `environment '${change.environment}' is not in pipeline '${pipeline.name}'`,
    );
  }
  const now = snapshot.now.getTime();
  const checks: PolicyCheck[] = [];
  const state = snapshot.environments.find(e => e.name === env.name);
  const fromVersion = state?.version;
  let version = change.version;
  let sourceEnvironment: string | undefined;
  const overrideOk = overrideValid(env, change, snapshot);

  // The target must be readable.
  if (!state || state.error) {
    checks.push({
      id: 'environment-readable',
      status: 'fail',
      message: `${env.name} could not be read${
        state?.error ? ` (${state.error.message})` : ''
      }, so the policy cannot be checked`,
    });
  }

  if (change.kind === 'promote') {
    sourceEnvironment = env.promotesFrom;
    checks.push(pipelineOrderCheck(pipeline, env, change));
    if (version !== undefined) {
      checks.push(...versionChecks(env, version));
    }
    const source = snapshot.environments.find(e => e.name === env.promotesFrom);
    if (env.sourceMustBeHealthy && env.promotesFrom) {
      checks.push(sourceHealthyCheck(env, source, overrideOk));
    }
    if (env.requireRunInPrevious && env.promotesFrom && version !== undefined) {
      checks.push(
        previousEnvironmentCheck(
          env.promotesFrom,
          env.requireRunInPrevious.soakMs,
          version,
          source,
          snapshot.history[env.promotesFrom] ?? [],
          now,
        ),
      );
    }
    if (env.requireLineage && env.promotesFrom && version !== undefined) {
      checks.push(
        lineageCheck(env, version, {
          running: source?.version,
          history: snapshot.history[env.promotesFrom] ?? [],
          recorded: snapshot.recorded?.[env.promotesFrom] ?? [],
        }),
      );
    }
    const prev = pipeline.environments.find(e => e.name === env.promotesFrom);
    if (env.requireVerification && prev && version !== undefined) {
      checks.push(
        verificationCheck(
          prev,
          version,
          snapshot.verification?.[prev.name],
          now,
        ),
      );
    }
    if (version !== undefined) {
      const ran = env.promotesFrom
        ? sameCoreVersionsRan(
            version,
            source,
            snapshot.history[env.promotesFrom] ?? [],
          )
        : [];
      checks.push(...imageChecks(env, version, snapshot.images, ran));
    }
  } else if (change.kind === 'rollback') {
    const { check, entry, recordedVersion } = rollbackTargetCheck(
      env,
      change.rollbackTo,
      snapshot.history[env.name] ?? [],
      snapshot.recorded?.[env.name] ?? [],
    );
    checks.push(check);
    version = entry?.version ?? change.rollbackTo?.version ?? version;
    if ((entry || recordedVersion) && version) {
      checks.push(...versionChecks(env, version));
    }
  }

  if (env.manualSyncRequired) {
    checks.push(manualSyncCheck(env, state));
  }

  if (env.dryRunRequired) {
    checks.push({
      id: 'dry-run',
      status: 'pending',
      message: `a dry-run sync of ${env.name} runs first and must succeed before the real sync`,
    });
  }

  if (change.override) {
    checks.push(...overrideChecks(env, change, snapshot));
  }

  // Approvals.
  const approval = approvalChecks(env, change, snapshot, overrideOk);
  checks.push(...approval.checks);

  // Windows: ours, and Argo CD's own as Argo CD decides them (its canSync).
  const facts = env.useArgoCdWindows ? snapshot.argoCdWindowFacts : undefined;
  const windows = [
    ...env.windows,
    ...(env.useArgoCdWindows && !facts ? snapshot.argoCdWindows ?? [] : []),
  ];
  const decide = (ignorePolicyWindows: boolean) =>
    facts
      ? decideWindows(env.windows, facts, snapshot.now, { ignorePolicyWindows })
      : evaluateWindows(windows, snapshot.now, { ignorePolicyWindows });
  let window: WindowEvaluation = decide(false);
  let windowMessage = window.message;
  if (!window.open && overrideOk) {
    const bypassed = decide(true);
    window = bypassed;
    windowMessage = bypassed.open
      ? 'outside the window; bypassed by the emergency override'
      : `${bypassed.message}; the emergency override cannot bypass Argo CD's windows`;
  }
  if (window.applies || env.windows.length) {
    checks.push({
      id: 'sync-window',
      status: window.open ? 'pass' : 'pending',
      message: windowMessage,
    });
  }

  const failed = checks.some(c => c.status === 'fail');
  return {
    checks,
    allowed: !failed,
    approved: approval.approved,
    rejected: approval.rejected,
    windowOpen: window.open,
    window,
    requiredApprovals: approval.required,
    approverRefs: approval.refs,
    fromVersion,
    sourceEnvironment,
    version,
  };
}
