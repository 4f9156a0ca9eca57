import {
  Check,
  ChangeState,
  EnvironmentApplication,
} from '@internal/plugin-gitops-common';
import { PolicyCheck, PolicyEvaluation } from './evaluatePolicy';
import { PipelinePolicy } from './types';

/** Outcome of the policy's re-evaluation right before execution. @internal */
export type RecheckResult =
  | { outcome: 'allow'; checks: Check[] }
  /** A window is closed: wait until `runAfter`. */
  | { outcome: 'wait'; checks: Check[]; runAfter: Date; message: string }
  | { outcome: 'deny'; checks: Check[]; message: string };

/** A policy evaluation with the pipeline it was judged by. @internal */
export interface PolicyVerdict {
  evaluation: PolicyEvaluation;
  pipeline: PipelinePolicy;
  /** The target environment's application as its binding gives it now (stored on the change). */
  target?: EnvironmentApplication;
}

/** What the policy decides after a decision was recorded on a change. @internal */
export type ApprovalDecision =
  /** Someone with a say rejected. */
  | { outcome: 'rejected'; checks: PolicyCheck[] }
  /** Not enough approvals yet. */
  | { outcome: 'pending'; checks: PolicyCheck[] }
  /** Enough approvals: runnable now (`approved`) or when the window opens. */
  | {
      outcome: 'approved';
      checks: PolicyCheck[];
      state: Extract<ChangeState, 'approved' | 'waiting_for_window'>;
      runAfter?: Date;
    };

/** A check without the request field it is about (as stored and shown). @internal */
export function stripField({ field: _field, ...check }: PolicyCheck): Check {
  return check;
}

/** State of a new change whose checks did not fail. @internal */
export function runnableState(e: PolicyEvaluation): {
  state: ChangeState;
  runAfter?: Date;
} {
  if (!e.approved) return { state: 'awaiting_approval' };
  if (!e.windowOpen && e.window.nextOpen) {
    return {
      state: 'waiting_for_window',
      runAfter: new Date(e.window.nextOpen),
    };
  }
  return { state: 'approved' };
}

/** The re-check's verdict from a fresh evaluation (pure). @internal */
export function recheckResult(evaluation: PolicyEvaluation): RecheckResult {
  const checks = evaluation.checks.map(stripField);
  const failed = evaluation.checks.filter(c => c.status === 'fail');
  if (failed.length) {
    return {
      outcome: 'deny',
      checks,
      message: failed.map(c => c.message).join('; '),
    };
  }
  if (!evaluation.approved) {
    const a = evaluation.checks.find(
      c => c.id === 'approvals' || c.id === 'override-approval',
    );
    return {
      outcome: 'deny',
      checks,
      message: `approvals are no longer sufficient: ${a?.message ?? ''}`,
    };
  }
  if (!evaluation.windowOpen) {
    if (!evaluation.window.nextOpen) {
      return { outcome: 'deny', checks, message: evaluation.window.message };
    }
    return {
      outcome: 'wait',
      checks,
      runAfter: new Date(evaluation.window.nextOpen),
      message: evaluation.window.message,
    };
  }
  return { outcome: 'allow', checks };
}
