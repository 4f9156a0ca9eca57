import {
  Approval,
  ChangeEvent,
  ChangeKind,
  ChangeRequest,
  ChangeRequestDetail,
  ChangeResult,
  ChangeState,
  Check,
  RollbackTarget,
} from '@internal/plugin-gitops-common';

/**
 * An approval as stored: with the approver's ownership refs (user + groups)
 * at decision time. The API shows it without `claims`.
 *
 * @internal
 */
export interface StoredApproval extends Approval {
  claims?: string[];
}

/**
 * Where a change runs, fixed when it is created (and shown to approvers): the
 * Argo CD application its binding allowed, the pipeline and the write-back
 * target. The executor runs against this and stops when the binding moved.
 *
 * @internal
 */
export interface ChangeTarget {
  instance: string;
  application: string;
  appNamespace?: string;
  project?: string;
  /** The environment's write-back, e.g. `git gitops:apps/x-prod/values.yaml image.tag` or `argocd image.tag`. */
  writeBack?: string;
  /** What bound the entity to the application, e.g. `annotation gitops.backstage.io/entity-ref …`. */
  binding?: string[];
}

/**
 * A change request as stored, with the fields the API does not show.
 *
 * @internal
 */
export interface StoredChange
  extends Omit<ChangeRequest, 'approvals' | 'target'> {
  approvals: StoredApproval[];
  /** Pipeline the entity used when the change was created. */
  pipeline: string;
  /** Application, instance and write-back fixed at creation (absent on changes made before). */
  target?: ChangeTarget;
  /** User/group refs that may decide (snapshot of the policy at creation). */
  approverRefs: string[];
  /** The requester's ownership refs (user + groups) when requesting. */
  requesterClaims: string[];
  /** `waiting_for_window`: earliest time the window opens (ISO). */
  runAfter?: string;
  /** Execution claim: which process runs the change. */
  executionOwner?: string;
  /** Execution claim: until when (ISO) the owner's lease holds. */
  executionLeaseUntil?: string;
  /** Last execution step reached, e.g. `write`, `dry-run`, `sync`, `wait`. */
  executionStep?: string;
  /** How many times the change was claimed for execution. */
  executionAttempts: number;
}

/**
 * Fields of an audit/event row. Every mutation appends one (append-only).
 *
 * @internal
 */
export interface NewChangeEvent {
  /** e.g. `created`, `approved`, `rejected`, `cancelled`, `expired`, `blocked`, `step.write`, `succeeded`, `failed`. */
  type: string;
  /** User entity ref, or e.g. `system:gitops` for the scheduler. */
  actor?: string;
  /** Defaults to now. */
  at?: Date;
  fromVersion?: string;
  toVersion?: string;
  reason?: string;
  outcome?: 'success' | 'failure' | 'pending';
  message?: string;
  data?: Record<string, unknown>;
}

/** Input of {@link ChangeStore.createChange}. @internal */
export interface NewChange {
  entityRef: string;
  environment: string;
  pipeline: string;
  /** Where it runs; also one open change per application and environment, whichever entity asks. */
  target?: ChangeTarget;
  kind: ChangeKind;
  state: ChangeState;
  version?: string;
  fromVersion?: string;
  sourceEnvironment?: string;
  rollbackTo?: RollbackTarget;
  requestedBy: string;
  /** The requester's ownership refs (user + groups) when requesting; default `[requestedBy]`. */
  requesterClaims?: string[];
  reason?: string;
  override: boolean;
  requiredApprovals: number;
  approverRefs: string[];
  checks: Check[];
  expiresAt?: Date;
  runAfter?: Date;
  createdAt: Date;
}

/** Filter of {@link ChangeStore.listChanges}. @internal */
export interface ChangeFilter {
  entityRef?: string;
  environment?: string;
  states?: ChangeState[];
  /** Newest first; default 100, at most 500. */
  limit?: number;
}

/** Result of {@link ChangeStore.addDecision}. @internal */
export type DecisionOutcome =
  /** The decision was stored. */
  | { outcome: 'recorded'; change: StoredChange }
  /** The same approver already made the same decision: nothing changed. */
  | { outcome: 'duplicate'; change: StoredChange }
  /** The same approver already made the opposite decision. */
  | { outcome: 'conflict'; change: StoredChange; previous: Approval }
  /** The change is not awaiting approval (any more). */
  | { outcome: 'not_open'; change: StoredChange }
  | { outcome: 'not_found' };

/** Fields that a state transition may change. @internal */
export interface ChangePatch {
  checks?: Check[];
  runAfter?: Date | null;
  result?: ChangeResult;
  expiresAt?: Date | null;
}

/** Input of {@link ChangeStore.transition}. @internal */
export interface TransitionInput {
  id: string;
  /** Only transition when the change is in one of these states (conditional UPDATE). */
  from: ChangeState[];
  to: ChangeState;
  patch?: ChangePatch;
  /** Appended in the same transaction, only when the transition happened. */
  event: NewChangeEvent;
  /**
   * When set, only transition if this process holds the execution lease
   * (`execution_owner = owner`); the lease is released when `to` is final.
   */
  owner?: string;
  now?: Date;
}

/** Input of {@link ChangeStore.claimForExecution}. @internal */
export interface ClaimInput {
  /** Unique id of the claiming process (e.g. hostname + pid + random). */
  owner: string;
  /** How long the lease holds; renew it with {@link ChangeStore.renewLease}. */
  leaseMs: number;
  now: Date;
  /** Claim this change only; otherwise the oldest runnable change. */
  id?: string;
}

/**
 * Persistence of change requests, approvals and their events.
 *
 * All races are resolved in the database: one open change per entity and
 * environment (unique `open_slot`) and per Argo CD application and
 * environment (unique `app_slot`), one decision per approver (unique
 * `(change_id, approver)`), state transitions by conditional updates, and the
 * execution claim by a conditional update on the lease columns.
 *
 * @internal
 */
export interface ChangeStore {
  /**
   * Stores a new change with its `created` event in one transaction. When the
   * state is open, it takes the (entity, environment) open slot.
   *
   * @throws ConflictError naming the open change when the slot is taken.
   */
  createChange(input: NewChange, event: NewChangeEvent): Promise<StoredChange>;

  /** One change with its approvals, or undefined. */
  getChange(id: string): Promise<StoredChange | undefined>;

  /** One change with its approvals and events (oldest first), or undefined. */
  getChangeDetail(
    id: string,
  ): Promise<(StoredChange & Pick<ChangeRequestDetail, 'events'>) | undefined>;

  /** Changes, newest first. */
  listChanges(filter: ChangeFilter): Promise<StoredChange[]>;

  /** The open change of an entity and environment, if any. */
  findOpenChange(
    entityRef: string,
    environment: string,
  ): Promise<StoredChange | undefined>;

  /**
   * Records one approver's decision while the change is `awaiting_approval`,
   * with its event, in one transaction. Idempotent for an identical repeated
   * decision; reports a conflicting one. Does not change the state: the
   * service decides the transition and calls {@link ChangeStore.transition}.
   */
  addDecision(
    id: string,
    decision: StoredApproval,
    event: NewChangeEvent,
  ): Promise<DecisionOutcome>;

  /**
   * Conditional state transition: `UPDATE … WHERE id = ? AND state IN (from)`.
   * Finished states release the open slot. Returns the updated change, or
   * undefined when the change was not in one of the `from` states (someone
   * else won the race); then nothing was written.
   */
  transition(input: TransitionInput): Promise<StoredChange | undefined>;

  /**
   * Appends an event (execution steps, failures, re-evaluations). Events are
   * never updated or deleted.
   */
  appendEvent(id: string, event: NewChangeEvent): Promise<ChangeEvent>;

  /**
   * Atomically claims a runnable change for execution: state `approved`, or
   * `waiting_for_window` with `run_after <= now`, or `executing` whose lease
   * expired (a crashed process), and no live lease of another owner. Sets
   * `execution_owner`, `execution_lease_until = now + leaseMs`, increments
   * `execution_attempts`, and moves the state to `executing` (appending an
   * `execution.claimed` event). Returns the claimed change, or undefined when
   * nothing is runnable or another process won.
   */
  claimForExecution(input: ClaimInput): Promise<StoredChange | undefined>;

  /** Extends the lease; false when this owner no longer holds it. */
  renewLease(
    id: string,
    owner: string,
    leaseMs: number,
    now: Date,
  ): Promise<boolean>;

  /**
   * Records the step reached by the lease holder (and appends the event);
   * false when this owner no longer holds the lease.
   */
  setExecutionStep(
    id: string,
    owner: string,
    step: string,
    event: NewChangeEvent,
  ): Promise<boolean>;

  /**
   * Gives the lease back without changing the state (e.g. the executor found
   * the window closed and moved the change to `waiting_for_window` itself).
   */
  releaseLease(id: string, owner: string): Promise<boolean>;
}
