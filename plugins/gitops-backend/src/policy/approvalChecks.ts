import { EnvironmentPolicy, PipelinePolicy } from './types';
import {
  PolicyChange,
  PolicyCheck,
  PolicySnapshot,
  SnapshotApproval,
  lc,
  matchesRefs,
} from './policyModel';

/* Approval gates and the emergency override. Pure. */

/** Result of {@link evaluateApprovals}. @internal */
export interface ApprovalEvaluation {
  checks: PolicyCheck[];
  approved: boolean;
  rejected: boolean;
  required: number;
  /** Refs whose members may decide. */
  refs: string[];
}

/**
 * Only the approval gates of a change (used when a decision arrives).
 *
 * @internal
 */
export function evaluateApprovals(
  pipeline: PipelinePolicy,
  change: PolicyChange,
  snapshot: Pick<
    PolicySnapshot,
    'approvals' | 'requesterClaims' | 'now' | 'approvalsAt'
  >,
): ApprovalEvaluation {
  const env = pipeline.environments.find(e => e.name === change.environment);
  if (!env) {
    throw new Error(
      `environment '${change.environment}' is not in pipeline '${pipeline.name}'`,
    );
  }
  const full = { environments: [], history: {}, ...snapshot };
  return approvalChecks(env, change, full, overrideValid(env, change, full));
}

export function overrideValid(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): boolean {
  return Boolean(
    change.override &&
      env.override &&
      change.reason?.trim() &&
      matchesRefs(snapshot.requesterClaims, env.override.allowed),
  );
}

export function overrideChecks(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
): PolicyCheck[] {
  if (!env.override) {
    return [
      {
        id: 'override',
        status: 'fail',
        field: 'override',
        message: `${env.name} has no emergency override in its policy`,
      },
    ];
  }
  const checks: PolicyCheck[] = [];
  const may = matchesRefs(snapshot.requesterClaims, env.override.allowed);
  checks.push({
    id: 'override',
    status: may ? 'pass' : 'fail',
    field: may ? undefined : 'override',
    message: may
      ? `emergency override requested by ${
          change.requestedBy
        }; it bypasses ${env.override.bypass.join(', ')}`
      : `${change.requestedBy} may not request an emergency override for ${
          env.name
        } (allowed: ${env.override.allowed.join(', ')})`,
  });
  const reason = change.reason?.trim();
  checks.push({
    id: 'override-reason',
    status: reason ? 'pass' : 'fail',
    field: reason ? undefined : 'reason',
    message: reason
      ? `reason given: ${reason}`
      : 'an emergency override needs a reason',
  });
  return checks;
}

export function approvalChecks(
  env: EnvironmentPolicy,
  change: PolicyChange,
  snapshot: PolicySnapshot,
  overrideOk: boolean,
): {
  checks: PolicyCheck[];
  approved: boolean;
  rejected: boolean;
  required: number;
  refs: string[];
} {
  const now = (snapshot.approvalsAt ?? snapshot.now).getTime();
  const expiresMs = env.approvals?.expiresAfterMs;
  const requester = lc(change.requestedBy);
  const gates: Array<{
    id: string;
    min: number;
    refs: string[];
    label: string;
  }> = [];
  if (env.approvals) {
    gates.push({
      id: 'approvals',
      min: env.approvals.min,
      refs: env.approvals.approvers,
      label: 'approval',
    });
  }
  if (
    change.override &&
    overrideOk &&
    env.override &&
    env.override.minApprovals > 0
  ) {
    gates.push({
      id: 'override-approval',
      min: env.override.minApprovals,
      refs: env.override.approvers,
      label: 'override approval',
    });
  }
  const refs = [...new Set(gates.flatMap(g => g.refs))];
  if (!gates.length) {
    return {
      checks: [
        {
          id: 'approvals',
          status: 'pass',
          message: `no approval required for ${env.name}`,
        },
      ],
      approved: true,
      rejected: false,
      required: 0,
      refs,
    };
  }
  const eligible = (a: SnapshotApproval, gateRefs: string[]) =>
    lc(a.approver) !== requester &&
    (a.claims ? matchesRefs(a.claims, gateRefs) : true);
  const rejection = snapshot.approvals.find(
    a => a.decision === 'reject' && eligible(a, refs),
  );
  const checks: PolicyCheck[] = [];
  let approved = true;
  for (const g of gates) {
    if (rejection) {
      checks.push({
        id: g.id,
        status: 'fail',
        message: `rejected by ${rejection.approver}${
          rejection.comment ? `: ${rejection.comment}` : ''
        }`,
      });
      approved = false;
      continue;
    }
    const valid = snapshot.approvals.filter(
      a => a.decision === 'approve' && eligible(a, g.refs),
    );
    const live = valid.filter(
      a => expiresMs === undefined || Date.parse(a.decidedAt) + expiresMs > now,
    );
    const expired = valid.length - live.length;
    const who = live.map(a => a.approver).join(', ');
    const expiredText = expired
      ? `; ${expired} approval${expired > 1 ? 's' : ''} expired`
      : '';
    if (live.length >= g.min) {
      checks.push({
        id: g.id,
        status: 'pass',
        message: `${g.label} by ${who} (${live.length} of ${g.min})`,
      });
    } else {
      approved = false;
      checks.push({
        id: g.id,
        status: 'pending',
        message: `needs ${g.min - live.length} more ${g.label}${
          g.min - live.length > 1 ? 's' : ''
        } from ${g.refs.join(', ')} (${live.length} of ${
          g.min
        }; the requester cannot approve${expiredText})`,
      });
    }
  }
  return {
    checks,
    approved,
    rejected: Boolean(rejection),
    // one person may satisfy several gates when they belong to each
    required: Math.max(...gates.map(g => g.min)),
    refs,
  };
}
