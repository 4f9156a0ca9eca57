import { describeWriteBack } from '../binding/changeTarget';
import type { WriteBackSpec } from '../writeback/config';
import { ChangeState } from '@internal/plugin-gitops-common';
import { PolicyChange, PolicyVerdict, runnableState } from '../policy';
import { NewChange, NewChangeEvent } from '../store/ChangeStore';
import { Caller } from './ports';
import { z } from 'zod';
import { createChangeSchema } from './schemas';

/**
 * The stored record and `created` event of a change the policy allowed:
 * runnable state, the application it is fixed to, expiry. Pure.
 *
 * @internal
 */
export function newChangeRecord(options: {
  input: z.output<typeof createChangeSchema>;
  caller: Caller;
  change: PolicyChange;
  evaluated: Pick<PolicyVerdict, 'evaluation' | 'pipeline' | 'target'>;
  /** The environment's write-back when known (stored as one line, compared before execution). */
  writeBack?: { spec: WriteBackSpec | undefined };
  checks: NewChange['checks'];
  now: Date;
}): { record: NewChange; event: NewChangeEvent; state: ChangeState } {
  const { input, caller, change, checks, now } = options;
  const { evaluation, pipeline, target } = options.evaluated;
  const env = pipeline.environments.find(e => e.name === input.environment)!;
  const { state, runAfter } = runnableState(evaluation);
  const expiresAfter = env.approvals?.expiresAfterMs;
  const record: NewChange = {
    entityRef: input.entityRef,
    environment: input.environment,
    pipeline: pipeline.name,
    // fixed now (shown to approvers); one open change per application
    target: target && {
      instance: target.instance,
      application: target.name,
      appNamespace: target.namespace,
      project: target.project,
      ...(options.writeBack
        ? { writeBack: describeWriteBack(options.writeBack.spec) }
        : {}),
    },
    kind: input.kind,
    state,
    version: evaluation.version,
    fromVersion: evaluation.fromVersion,
    sourceEnvironment: evaluation.sourceEnvironment,
    rollbackTo: input.rollbackTo,
    requestedBy: caller.userEntityRef,
    requesterClaims: caller.claims,
    reason: change.reason,
    override: change.override,
    requiredApprovals: evaluation.requiredApprovals,
    approverRefs: evaluation.approverRefs,
    checks,
    expiresAt:
      state === 'awaiting_approval' && expiresAfter
        ? new Date(now.getTime() + expiresAfter)
        : undefined,
    runAfter,
    createdAt: now,
  };
  const event: NewChangeEvent = {
    type: 'created',
    actor: caller.userEntityRef,
    outcome: 'success',
    message: `${input.kind} requested${
      change.override ? ' with emergency override' : ''
    }; state ${state}`,
    data: {
      kind: input.kind,
      override: change.override,
    },
  };
  return { record, event, state };
}
