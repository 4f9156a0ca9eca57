import { ChangeState } from '@internal/plugin-gitops-common';
import type { StoredChange } from '../store/ChangeStore';

/**
 * What the notifier needs of a change (a subset of the stored change, so the
 * notifier does not depend on how the change service is built).
 *
 * @internal
 */
export type NotifiedChange = Pick<
  StoredChange,
  | 'id'
  | 'entityRef'
  | 'environment'
  | 'pipeline'
  | 'kind'
  | 'state'
  | 'version'
  | 'fromVersion'
  | 'sourceEnvironment'
  | 'requestedBy'
  | 'reason'
  | 'override'
  | 'approverRefs'
  | 'requiredApprovals'
  | 'checks'
  | 'expiresAt'
  | 'runAfter'
  | 'result'
> & {
  approvals: Array<{
    approver: string;
    decision: 'approve' | 'reject';
    comment?: string;
  }>;
};

/**
 * A state transition that won the store's conditional update (only the
 * replica whose update matched reports it), or a reminder found by the
 * scheduled sweep.
 *
 * @internal
 */
export interface ChangeTransition {
  /** The change after the transition. */
  change: NotifiedChange;
  /** State before; undefined when the change was just created. */
  from?: ChangeState;
  /** State after (`change.state`), or `reminder` for an approval reminder. */
  to: ChangeState | 'reminder';
  /** Who made the transition (a user ref, or e.g. `system:gitops`). */
  actor?: string;
  /** Comment or reason of the actor (a rejection's comment). */
  comment?: string;
}

/** Kinds of notifications the plugin sends. @internal */
export type NotificationKind =
  | 'approval_requested'
  | 'approval_reminder'
  | 'override_requested'
  | 'override_executed'
  | 'approved'
  | 'waiting_for_window'
  | 'rejected'
  | 'expired'
  | 'succeeded'
  | 'failed';

/** Who a notification is for, before group refs are expanded to users. @internal */
export type RecipientRole = 'approvers' | 'requester' | 'owners' | 'override';

/** One notification to send to the refs of some roles. @internal */
export interface PlannedNotification {
  kind: NotificationKind;
  roles: RecipientRole[];
  /**
   * Identifies the transition: the same transition reported twice (two
   * replicas, a retry) has the same key, so it is sent once per recipient.
   */
  transitionKey: string;
}
