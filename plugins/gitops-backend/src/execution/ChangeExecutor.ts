import { ChangeResult } from '@internal/plugin-gitops-common';
import { TargetMovedError } from '../binding/changeTarget';
import { StoredChange } from '../store/ChangeStore';
import {
  nextStep,
  planSteps,
  progressFromEvents,
  rollbackMethod,
  RollbackMethod,
  StepName,
} from './plan';
import {
  ExecutionServices,
  expectedVersion,
  StepContext,
  StepOutcome,
  writtenCommit,
  wroteSomething,
} from './StepContext';
import {
  diffStep,
  disableAutoSyncStep,
  dryRunStep,
  followStep,
  recheckStep,
  refreshStep,
  syncStep,
  writeStep,
} from './steps';
import { ExecutionTarget, ExecutionTargetResolver } from './types';

/** This process no longer holds the change's lease: stop without writing. @internal */
export class LeaseLostError extends Error {
  constructor(changeId: string) {
    super(`lost the execution lease of change ${changeId}`);
    this.name = 'LeaseLostError';
  }
}

const STEPS: Record<StepName, (ctx: StepContext) => Promise<StepOutcome>> = {
  precheck: recheckStep,
  write: writeStep,
  refresh: refreshStep,
  diff: diffStep,
  'disable-auto-sync': disableAutoSyncStep,
  'dry-run': dryRunStep,
  recheck: recheckStep,
  sync: syncStep,
  follow: followStep,
};

const ACTOR = 'system:gitops';

/** How one call of {@link ChangeExecutor.execute} ended. @internal */
export type ExecutionEnd = 'succeeded' | 'failed' | 'waiting' | 'lost';

/**
 * Runs one claimed change as a sequence of idempotent steps (see
 * {@link planSteps}). Every completed step is an event on the change
 * (`step.<name>` with its outputs), written only while this process holds
 * the lease; a resumed execution rebuilds its progress from those events and
 * continues with the first step not done. The end is a conditional state
 * transition: `succeeded`, `failed` (with the failed step, the reason and
 * the commit SHA if one was written), or `waiting_for_window`.
 *
 * @internal
 */
export class ChangeExecutor {
  readonly #services: ExecutionServices;
  readonly #targets: ExecutionTargetResolver;

  static create(options: {
    services: ExecutionServices;
    targets: ExecutionTargetResolver;
  }) {
    return new ChangeExecutor(options.services, options.targets);
  }

  private constructor(
    services: ExecutionServices,
    targets: ExecutionTargetResolver,
  ) {
    this.#services = services;
    this.#targets = targets;
  }

  async execute(
    change: StoredChange,
    owner: string,
    signal: AbortSignal,
  ): Promise<ExecutionEnd> {
    const { store, logger } = this.#services;
    const detail = await store.getChangeDetail(change.id);
    const progress = progressFromEvents(detail?.events ?? []);
    let target: ExecutionTarget;
    let rollback: RollbackMethod | undefined;
    let plan: StepName[];
    const ctx: StepContext = {
      change,
      target: undefined as unknown as ExecutionTarget,
      progress,
      owner,
      signal,
      services: this.#services,
      markSyncRequested: async data => {
        const ok = await store.setExecutionStep(change.id, owner, 'sync', {
          type: 'step.sync.requested',
          actor: ACTOR,
          at: this.#services.clock.now(),
          outcome: 'pending',
          message: 'sync requested from Argo CD',
          data,
        });
        if (!ok) throw new LeaseLostError(change.id);
        progress.syncRequestedAt = this.#services.clock.now().toISOString();
      },
    };
    try {
      target = await this.#targets.resolve(change);
      rollback =
        change.kind === 'rollback'
          ? rollbackMethod(change.rollbackTo, change.version, target.writeBack)
          : undefined;
      plan = planSteps({
        kind: change.kind,
        writeBack: target.writeBack,
        dryRunRequired: target.dryRunRequired,
        rollback,
      });
    } catch (e) {
      if (e instanceof TargetMovedError) return this.#block(ctx, e.message);
      return this.#fail(ctx, 'plan', {
        kind: 'fail',
        message: (e as Error).message,
      });
    }
    ctx.target = target;
    ctx.rollback = rollback;

    for (;;) {
      if (signal.aborted) return 'lost';
      const step = nextStep(plan, progress);
      if (!step) return this.#succeed(ctx);
      let outcome: StepOutcome;
      try {
        if (step === 'write' || step === 'sync') await this.#recordStart(ctx);
        outcome = await STEPS[step](ctx);
      } catch (e) {
        if (signal.aborted || e instanceof LeaseLostError) return 'lost';
        logger.warn(
          `change ${change.id}: step ${step} threw: ${(e as Error).message}`,
        );
        outcome = {
          kind: 'fail',
          message: `${step} failed: ${(e as Error).message}`,
          rollbackOffered: wroteSomething(ctx),
        };
      }
      if (signal.aborted) return 'lost';
      if (outcome.kind === 'done') {
        const at = this.#services.clock.now();
        const ok = await store.setExecutionStep(change.id, owner, step, {
          type: `step.${step}`,
          actor: ACTOR,
          at,
          outcome: 'success',
          message: outcome.message,
          data: outcome.data,
        });
        if (!ok) return 'lost';
        progress.done.set(step, {
          at: at.toISOString(),
          data: outcome.data ?? {},
        });
        if (step === 'write') {
          const gitCommit = writtenCommit(ctx);
          if (gitCommit) await this.#record(ctx, { gitCommit });
        }
        continue;
      }
      if (outcome.kind === 'wait') {
        const moved = await store.transition({
          id: change.id,
          from: ['executing'],
          to: 'waiting_for_window',
          owner,
          now: this.#services.clock.now(),
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
      return this.#fail(ctx, step, outcome);
    }
  }

  #result(ctx: StepContext): ChangeResult {
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

  /** The deployment starts (before anything is written or synced); idempotent per change. */
  async #recordStart(ctx: StepContext): Promise<void> {
    const deployments = this.#services.deployments;
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
      startedAt: this.#services.clock.now(),
    });
  }

  async #record(
    ctx: StepContext,
    patch: Parameters<
      NonNullable<ExecutionServices['deployments']>['recordProgress']
    >[1],
  ): Promise<void> {
    await this.#services.deployments?.recordProgress(ctx.change.id, patch);
  }

  async #succeed(ctx: StepContext): Promise<ExecutionEnd> {
    const { change } = ctx;
    const version = expectedVersion(ctx);
    // The record first: a read (in any replica) after `succeeded` must see it.
    const follow = ctx.progress.done.get('follow');
    if (follow) {
      const at = new Date(follow.at);
      await this.#record(ctx, {
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
    const moved = await this.#services.store.transition({
      id: change.id,
      from: ['executing'],
      to: 'succeeded',
      owner: ctx.owner,
      now: this.#services.clock.now(),
      patch: {
        result: { ...this.#result(ctx), message, failedStep: undefined },
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
    if (moved) await this.#audit(ctx, 'succeeded', undefined);
    return moved ? 'succeeded' : 'lost';
  }

  /** One auditor event per finished execution; auditing never fails the change. */
  async #audit(
    ctx: StepContext,
    outcome: 'succeeded' | 'failed',
    error: Error | undefined,
  ) {
    const auditor = this.#services.auditor;
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
      this.#services.logger.warn(
        `auditing the execution of change ${ctx.change.id} failed: ${e}`,
      );
    }
  }

  /** Stops before any step: the target is not what was approved (nothing was written). */
  async #block(ctx: StepContext, message: string): Promise<ExecutionEnd> {
    const { change } = ctx;
    const moved = await this.#services.store.transition({
      id: change.id,
      from: ['executing'],
      to: 'blocked',
      owner: ctx.owner,
      now: this.#services.clock.now(),
      patch: {
        result: { ...this.#result(ctx), failedStep: 'plan', message },
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
    this.#services.logger.info(`change ${change.id} blocked: ${message}`);
    if (moved)
      await this.#audit(ctx, 'failed', new Error(`blocked: ${message}`));
    return moved ? 'failed' : 'lost';
  }

  async #fail(
    ctx: StepContext,
    step: string,
    outcome: Extract<StepOutcome, { kind: 'fail' }>,
  ): Promise<ExecutionEnd> {
    const { change } = ctx;
    try {
      await this.#record(ctx, {
        outcome: outcome.degraded ? 'degraded' : 'failed',
        finishedAt: this.#services.clock.now(),
      });
    } catch (e) {
      this.#services.logger.warn(
        `change ${change.id}: the failed deployment could not be recorded: ${e}`,
      );
    }
    const result: ChangeResult = {
      ...this.#result(ctx),
      failedStep: step,
      message: outcome.message,
      rollbackOffered: outcome.rollbackOffered ?? false,
    };
    const moved = await this.#services.store.transition({
      id: change.id,
      from: ['executing'],
      to: 'failed',
      owner: ctx.owner,
      now: this.#services.clock.now(),
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
    this.#services.logger.info(
      `change ${change.id} failed at ${step}: ${outcome.message}`,
    );
    if (moved)
      await this.#audit(
        ctx,
        'failed',
        new Error(`failed at step ${step}: ${outcome.message}`),
      );
    return moved ? 'failed' : 'lost';
  }
}
