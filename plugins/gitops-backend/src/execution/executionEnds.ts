import { ChangeResult } from '@internal/plugin-gitops-common';
import { recordDeployment } from './deploymentRecording';
import {
  StepContext,
  StepOutcome,
  expectedVersion,
  writtenCommit,
} from './StepContext';

/**
 * How an execution ends, each a conditional transition of the change made
 * only while this process holds the lease (otherwise `lost`): `succeeded`,
 * `failed` (with the failed step, the reason and the commit SHA if one was
 * written), `blocked`, or `waiting_for_window`; the deployment record is
 * updated first, and one auditor event is written per finished execution.
 */

/** Actor of the events the executor writes. */
export const ACTOR = 'system:gitops';

/** How one call of `ChangeExecutor.execute` ended. @internal */
export type ExecutionEnd = 'succeeded' | 'failed' | 'waiting' | 'lost';

/** The change's result so far: the commit written and the revision synced. */
export function resultOf(ctx: StepContext): ChangeResult {
  const write = ctx.progress.done.get('write')?.data;
  const follow = ctx.progress.done.get('follow')?.data;
  return {
    ...ctx.change.result,
    commitSha: writtenCommit(ctx) ?? (write?.commitSha as string | undefined),
    syncedRevision:
      (follow?.revision as string | undefined) ??
      ctx.change.result?.syncedRevision,
  };
}

/** The plan ran to its end: record the deployment, then `succeeded`. */
export async function succeed(ctx: StepContext): Promise<ExecutionEnd> {
  const { change } = ctx;
  const version = expectedVersion(ctx);
  // The record first: a read (in any replica) after `succeeded` must see it.
  const follow = ctx.progress.done.get('follow');
  if (follow) {
    const at = new Date(follow.at);
    await recordDeployment(ctx, {
      outcome: 'succeeded',
      finishedAt: at,
      healthySince: at,
      ...(version ? { version } : {}),
      ...(typeof follow.data.revision === 'string'
        ? { syncedRevision: follow.data.revision }
        : {}),
      ...(typeof follow.data.historyId === 'number'
        ? { historyId: follow.data.historyId }
        : {}),
    });
  }
  const message = `${change.kind} of ${version ?? 'the Git state'} to ${
    change.environment
  } succeeded`;
  const moved = await ctx.services.store.transition({
    id: change.id,
    from: ['executing'],
    to: 'succeeded',
    owner: ctx.owner,
    now: ctx.services.clock.now(),
    patch: {
      result: { ...resultOf(ctx), message, failedStep: undefined },
    },
    event: {
      type: 'succeeded',
      actor: ACTOR,
      outcome: 'success',
      fromVersion: change.fromVersion,
      toVersion: version,
      message,
    },
  });
  if (moved) await audit(ctx, 'succeeded', undefined);
  return moved ? 'succeeded' : 'lost';
}

/** One auditor event per finished execution; auditing never fails the change. */
async function audit(
  ctx: StepContext,
  outcome: 'succeeded' | 'failed',
  error: Error | undefined,
) {
  const auditor = ctx.services.auditor;
  if (!auditor) return;
  try {
    const event = await auditor.createEvent({
      eventId: 'change-execute',
      severityLevel: ctx.change.environment === 'prod' ? 'high' : 'medium',
      meta: {
        changeId: ctx.change.id,
        entityRef: ctx.change.entityRef,
        environment: ctx.change.environment,
        kind: ctx.change.kind,
        version: expectedVersion(ctx),
        requestedBy: ctx.change.requestedBy,
        commitSha: writtenCommit(ctx),
        outcome,
      },
    });
    await (error ? event.fail({ error }) : event.success());
  } catch (e) {
    ctx.services.logger.warn(
      `auditing the execution of change ${ctx.change.id} failed: ${e}`,
    );
  }
}

/** Stops before any step: the target is not what was approved (nothing was written). */
export async function block(
  ctx: StepContext,
  message: string,
): Promise<ExecutionEnd> {
  const { change } = ctx;
  const moved = await ctx.services.store.transition({
    id: change.id,
    from: ['executing'],
    to: 'blocked',
    owner: ctx.owner,
    now: ctx.services.clock.now(),
    patch: {
      result: { ...resultOf(ctx), failedStep: 'plan', message },
    },
    event: {
      type: 'blocked',
      actor: ACTOR,
      outcome: 'failure',
      fromVersion: change.fromVersion,
      toVersion: change.version,
      reason: message,
      message: `blocked: ${message}`,
    },
  });
  ctx.services.logger.info(`change ${change.id} blocked: ${message}`);
  if (moved) await audit(ctx, 'failed', new Error(`blocked: ${message}`));
  return moved ? 'failed' : 'lost';
}

/** A step (or the plan) failed: record the deployment, then `failed`. */
export async function fail(
  ctx: StepContext,
  step: string,
  outcome: Extract<StepOutcome, { kind: 'fail' }>,
): Promise<ExecutionEnd> {
  const { change } = ctx;
  try {
    await recordDeployment(ctx, {
      outcome: outcome.degraded ? 'degraded' : 'failed',
      finishedAt: ctx.services.clock.now(),
    });
  } catch (e) {
    ctx.services.logger.warn(
      `change ${change.id}: the failed deployment could not be recorded: ${e}`,
    );
  }
  const result: ChangeResult = {
    ...resultOf(ctx),
    failedStep: step,
    message: outcome.message,
    rollbackOffered: outcome.rollbackOffered ?? false,
  };
  const moved = await ctx.services.store.transition({
    id: change.id,
    from: ['executing'],
    to: 'failed',
    owner: ctx.owner,
    now: ctx.services.clock.now(),
    patch: { result, ...(outcome.checks ? { checks: outcome.checks } : {}) },
    event: {
      type: 'failed',
      actor: ACTOR,
      outcome: 'failure',
      fromVersion: change.fromVersion,
      toVersion: expectedVersion(ctx),
      reason: outcome.message,
      message: `failed at step ${step}: ${outcome.message}`,
      data: {
        failedStep: step,
        commitSha: result.commitSha,
        rollbackOffered: result.rollbackOffered,
      },
    },
  });
  ctx.services.logger.info(
    `change ${change.id} failed at ${step}: ${outcome.message}`,
  );
  if (moved)
    await audit(
      ctx,
      'failed',
      new Error(`failed at step ${step}: ${outcome.message}`),
    );
  return moved ? 'failed' : 'lost';
}

/** A window (or a wait condition) holds the change: `waiting_for_window` until `runAfter`. */
export async function waitForWindow(
  ctx: StepContext,
  step: string,
  outcome: Extract<StepOutcome, { kind: 'wait' }>,
): Promise<ExecutionEnd> {
  const moved = await ctx.services.store.transition({
    id: ctx.change.id,
    from: ['executing'],
    to: 'waiting_for_window',
    owner: ctx.owner,
    now: ctx.services.clock.now(),
    patch: {
      runAfter: outcome.runAfter,
      ...(outcome.checks ? { checks: outcome.checks } : {}),
    },
    event: {
      type: 'waiting_for_window',
      actor: ACTOR,
      outcome: 'pending',
      message: `${
        outcome.message
      }; retrying after ${outcome.runAfter.toISOString()}`,
      data: { step, runAfter: outcome.runAfter.toISOString() },
    },
  });
  return moved ? 'waiting' : 'lost';
}
