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
  StepContext,
  StepOutcome,
  writtenCommit,
  wroteSomething,
} from './StepContext';
import { recordDeployment, recordDeploymentStart } from './deploymentRecording';
import {
  ACTOR,
  ExecutionEnd,
  block,
  fail,
  succeed,
  waitForWindow,
} from './executionEnds';
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

export type { ExecutionEnd } from './executionEnds';

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

/**
 * Runs one claimed change as a sequence of idempotent steps (see
 * {@link planSteps}). Every completed step is an event on the change
 * (`step.<name>` with its outputs), written only while this process holds
 * the lease; a resumed execution rebuilds its progress from those events and
 * continues with the first step not done. The end is a conditional state
 * transition (`./executionEnds`): `succeeded`, `failed` (with the failed
 * step, the reason and the commit SHA if one was written), `blocked`, or
 * `waiting_for_window`.
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
      if (e instanceof TargetMovedError) return block(ctx, e.message);
      return fail(ctx, 'plan', {
        kind: 'fail',
        message: (e as Error).message,
      });
    }
    ctx.target = target;
    ctx.rollback = rollback;

    for (;;) {
      if (signal.aborted) return 'lost';
      const step = nextStep(plan, progress);
      if (!step) return succeed(ctx);
      let outcome: StepOutcome;
      try {
        if (step === 'write' || step === 'sync')
          await recordDeploymentStart(ctx);
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
          if (gitCommit) await recordDeployment(ctx, { gitCommit });
        }
        continue;
      }
      if (outcome.kind === 'wait') return waitForWindow(ctx, step, outcome);
      return fail(ctx, step, outcome);
    }
  }
}
