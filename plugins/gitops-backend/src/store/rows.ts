import {
  Approval,
  ChangeEvent,
  ChangeKind,
  ChangeState,
  OPEN_CHANGE_STATES,
} from '@internal/plugin-gitops-common';
import {
  ChangeTarget,
  NewChange,
  StoredApproval,
  StoredChange,
} from './ChangeStore';

/** Row of `gitops_change_requests`. @internal */
export interface RawChangeRow {
  id: string;
  entity_ref: string;
  environment: string;
  pipeline: string;
  kind: string;
  state: string;
  open_slot: string | null;
  app_slot?: string | null;
  target_json?: string | null;
  version: string | null;
  from_version: string | null;
  source_environment: string | null;
  rollback_to_json: string | null;
  requested_by: string;
  reason: string | null;
  override: boolean | number;
  required_approvals: number;
  approver_refs_json: string;
  requester_claims_json: string | null;
  checks_json: string;
  expires_at: Date | number | string | null;
  run_after: Date | number | string | null;
  execution_owner: string | null;
  execution_lease_until: Date | number | string | null;
  execution_step: string | null;
  execution_attempts: number;
  result_json: string | null;
  created_at: Date | number | string;
  updated_at: Date | number | string;
}

/** Row of `gitops_change_approvals`. @internal */
export interface RawApprovalRow {
  id: number;
  change_id: string;
  approver: string;
  decision: string;
  comment: string | null;
  decided_at: Date | number | string;
  approver_claims_json?: string | null;
}

/** Row of `gitops_change_events`. @internal */
export interface RawEventRow {
  id: number | string;
  change_id: string;
  type: string;
  actor: string | null;
  at: Date | number | string;
  entity_ref: string;
  environment: string;
  from_version: string | null;
  to_version: string | null;
  reason: string | null;
  outcome: string | null;
  message: string | null;
  data_json: string | null;
}

/** Accepts what the drivers return (PostgreSQL: Date; SQLite: epoch ms). */
export function toDate(v: Date | number | string): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (/^\d+$/.test(v)) return new Date(Number(v));
  return new Date(v);
}

function iso(v: Date | number | string | null): string | undefined {
  return v === null || v === undefined ? undefined : toDate(v).toISOString();
}

function opt<T>(v: T | null): T | undefined {
  return v === null ? undefined : v;
}

export function rowToApproval(r: RawApprovalRow): StoredApproval {
  return {
    approver: r.approver,
    decision: r.decision as Approval['decision'],
    ...(r.comment ? { comment: r.comment } : {}),
    decidedAt: iso(r.decided_at)!,
    ...(r.approver_claims_json
      ? { claims: JSON.parse(r.approver_claims_json) as string[] }
      : {}),
  };
}

export function rowToChange(
  r: RawChangeRow,
  approvals: StoredApproval[],
): StoredChange {
  return {
    id: r.id,
    entityRef: r.entity_ref,
    environment: r.environment,
    pipeline: r.pipeline,
    kind: r.kind as ChangeKind,
    state: r.state as ChangeState,
    version: opt(r.version),
    fromVersion: opt(r.from_version),
    sourceEnvironment: opt(r.source_environment),
    rollbackTo: r.rollback_to_json ? JSON.parse(r.rollback_to_json) : undefined,
    target: r.target_json ? JSON.parse(r.target_json) : undefined,
    requestedBy: r.requested_by,
    reason: opt(r.reason),
    override: Boolean(r.override),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    checks: JSON.parse(r.checks_json),
    approvals,
    requiredApprovals: Number(r.required_approvals),
    expiresAt: iso(r.expires_at),
    result: r.result_json ? JSON.parse(r.result_json) : undefined,
    approverRefs: JSON.parse(r.approver_refs_json),
    requesterClaims: r.requester_claims_json
      ? JSON.parse(r.requester_claims_json)
      : [r.requested_by],
    runAfter: iso(r.run_after),
    executionOwner: opt(r.execution_owner),
    executionLeaseUntil: iso(r.execution_lease_until),
    executionStep: opt(r.execution_step),
    executionAttempts: Number(r.execution_attempts),
  };
}

export function rowToEvent(r: RawEventRow): ChangeEvent {
  const data: Record<string, unknown> = r.data_json
    ? JSON.parse(r.data_json)
    : {};
  return {
    id: Number(r.id),
    changeId: r.change_id,
    type: r.type,
    actor: opt(r.actor),
    at: iso(r.at)!,
    message: opt(r.message),
    data: {
      ...data,
      entityRef: r.entity_ref,
      environment: r.environment,
      ...(r.from_version ? { fromVersion: r.from_version } : {}),
      ...(r.to_version ? { toVersion: r.to_version } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.outcome ? { outcome: r.outcome } : {}),
    },
  };
}

/** The application's slot: one open change per Argo CD application and environment. */
export function appSlotOf(target: ChangeTarget, environment: string): string {
  return `${target.instance}/${target.appNamespace ?? ''}/${
    target.application
  }|${environment}`;
}

export function slotOf(entityRef: string, environment: string): string {
  return `${entityRef}|${environment}`;
}

export function isOpen(state: ChangeState): boolean {
  return OPEN_CHANGE_STATES.includes(state);
}

/** The row of a new change (its slots set while it is open). @internal */
export function newChangeRow(id: string, input: NewChange) {
  return {
    id,
    entity_ref: input.entityRef,
    environment: input.environment,
    pipeline: input.pipeline,
    kind: input.kind,
    state: input.state,
    open_slot: isOpen(input.state)
      ? slotOf(input.entityRef, input.environment)
      : null,
    app_slot:
      isOpen(input.state) && input.target
        ? appSlotOf(input.target, input.environment)
        : null,
    target_json: input.target ? JSON.stringify(input.target) : null,
    version: input.version ?? null,
    from_version: input.fromVersion ?? null,
    source_environment: input.sourceEnvironment ?? null,
    rollback_to_json: input.rollbackTo
      ? JSON.stringify(input.rollbackTo)
      : null,
    requested_by: input.requestedBy,
    reason: input.reason ?? null,
    override: input.override,
    required_approvals: input.requiredApprovals,
    approver_refs_json: JSON.stringify(input.approverRefs),
    requester_claims_json: JSON.stringify(
      input.requesterClaims ?? [input.requestedBy],
    ),
    checks_json: JSON.stringify(input.checks),
    expires_at: input.expiresAt ?? null,
    run_after: input.runAfter ?? null,
    execution_attempts: 0,
    created_at: input.createdAt,
    updated_at: input.createdAt,
  };
}
