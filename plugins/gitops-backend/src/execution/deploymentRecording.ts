import {
  ExecutionServices,
  StepContext,
  expectedVersion,
  writtenCommit,
} from './StepContext';

/**
 * The deployment record of an execution (`deployments/`): started before
 * anything is written or synced, updated as the steps go on and at the end.
 */

/** The deployment starts (before anything is written or synced); idempotent per change. */
export async function recordDeploymentStart(ctx: StepContext): Promise<void> {
  const deployments = ctx.services.deployments;
  if (!deployments) return;
  const { change, target } = ctx;
  await deployments.recordStarted({
    changeId: change.id,
    kind: change.kind,
    entityRef: change.entityRef,
    environment: change.environment,
    pipeline: change.pipeline,
    instance: target.instance,
    application: target.application,
    appNamespace: target.appNamespace,
    version: expectedVersion(ctx),
    fromVersion: change.fromVersion,
    gitCommit: writtenCommit(ctx),
    requestedBy: change.requestedBy,
    approvers: change.approvals
      .filter(a => a.decision === 'approve')
      .map(a => a.approver),
    override: change.override,
    startedAt: ctx.services.clock.now(),
  });
}

/** Updates the deployment record of the change (when deployments are recorded). */
export async function recordDeployment(
  ctx: StepContext,
  patch: Parameters<
    NonNullable<ExecutionServices['deployments']>['recordProgress']
  >[1],
): Promise<void> {
  await ctx.services.deployments?.recordProgress(ctx.change.id, patch);
}
