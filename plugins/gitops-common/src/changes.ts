/**
 * Write-side types: change requests, checks, approvals and their events.
 */

/** What a change request asks for. @public */
export type ChangeKind = 'promote' | 'sync' | 'rollback';

/** Lifecycle of a change request (PRODUCT.md §4). @public */
export type ChangeState =
  | 'awaiting_approval'
  | 'approved'
  | 'waiting_for_window'
  | 'executing'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'blocked';

/** States in which a change is still open (at most one per entity and environment). @public */
export const OPEN_CHANGE_STATES: ChangeState[] = [
  'awaiting_approval',
  'approved',
  'waiting_for_window',
  'executing',
];

/** Outcome of one named policy rule. @public */
export interface Check {
  /** Stable id, e.g. `tag-pattern`, `previous-environment-healthy`, `sync-window`. */
  id: string;
  status: 'pass' | 'fail' | 'pending';
  /** Sentence for people, e.g. "staging ran v1.2.0-rc.1 healthy for 3 h". */
  message: string;
}

/** One approver's decision. @public */
export interface Approval {
  /** User entity ref of the approver. */
  approver: string;
  decision: 'approve' | 'reject';
  comment?: string;
  decidedAt: string;
}

/** Append-only event on a change (audit trail and execution steps). @public */
export interface ChangeEvent {
  id: number;
  changeId: string;
  /** e.g. `created`, `approved`, `rejected`, `cancelled`, `step.write`, `step.sync`, `succeeded`, `failed`. */
  type: string;
  actor?: string;
  at: string;
  message?: string;
  data?: Record<string, unknown>;
}

/** Where a rollback goes back to. @public */
export interface RollbackTarget {
  /** Argo CD history id. */
  historyId?: string;
  /** Git revision (commit SHA) or version tag. */
  revision?: string;
  version?: string;
}

/** Result details of an executed change. @public */
export interface ChangeResult {
  /** Commit written to the GitOps repository, if any. */
  commitSha?: string;
  /** Step that failed, if the change failed. */
  failedStep?: string;
  message?: string;
  /** Operation id / revision synced in Argo CD. */
  syncedRevision?: string;
  /**
   * Set on a failed change that changed what Git or Argo CD says (or ended
   * Degraded): the UI offers a rollback to the version that ran before.
   */
  rollbackOffered?: boolean;
}

/** A change request as the API returns it. @public */
export interface ChangeRequest {
  id: string;
  entityRef: string;
  environment: string;
  kind: ChangeKind;
  state: ChangeState;
  /** Version to run (promote), or version to go back to (rollback). */
  version?: string;
  /** Version running in the target environment when the change was created. */
  fromVersion?: string;
  /** Environment the version is promoted from. */
  sourceEnvironment?: string;
  rollbackTo?: RollbackTarget;
  requestedBy: string;
  reason?: string;
  /** Emergency override of windows (and only of what the policy lets it bypass). */
  override: boolean;
  createdAt: string;
  updatedAt: string;
  /** Checks from the last evaluation. */
  checks: Check[];
  approvals: Approval[];
  requiredApprovals: number;
  expiresAt?: string;
  /**
   * When the change will run (ISO 8601): set while it is
   * `waiting_for_window`, the time its deployment window opens.
   */
  runAfter?: string;
  result?: ChangeResult;
  /** What the change runs against, fixed at creation (absent on changes made before targets were stored). */
  target?: ChangeRequestTarget;
}

/**
 * What a change runs against, fixed when it was created (and shown to
 * approvers): execution stops as `blocked` when the binding moved. @public
 */
export interface ChangeRequestTarget {
  /** Argo CD instance. */
  instance: string;
  /** Argo CD application name. */
  application: string;
  /** The Application's own namespace ("apps in any namespace"). */
  appNamespace?: string;
  project?: string;
  /** Pipeline (policy) the change is governed by. */
  pipeline: string;
  /** The environment's write-back, e.g. `git gitops:envs/prod/values.yaml image.tag`; absent when not recorded. */
  writeBack?: string;
}

/** A change with its full event trail. @public */
export interface ChangeRequestDetail extends ChangeRequest {
  events: ChangeEvent[];
}

/** Body of `POST /changes`. @public */
export interface CreateChangeRequest {
  entityRef: string;
  environment: string;
  kind: ChangeKind;
  version?: string;
  rollbackTo?: RollbackTarget;
  reason?: string;
  override?: boolean;
  /** Evaluate and return the checks without storing anything. */
  preview?: boolean;
}

/** Response of a preview: what would happen. @public */
export interface ChangePreview {
  /** Whether the change could be created now (no failing check). */
  allowed: boolean;
  checks: Check[];
  requiredApprovals: number;
  /** Version the target environment runs now. */
  fromVersion?: string;
  version?: string;
}

/** Body of approve / reject. @public */
export interface DecisionRequest {
  comment?: string;
}

/** Response of list endpoints. @public */
export interface ChangeList {
  items: ChangeRequest[];
}
