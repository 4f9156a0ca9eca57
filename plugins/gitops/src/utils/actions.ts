import type {
  ChangeRequest,
  EnvironmentState,
} from '@internal/plugin-gitops-common';
import { OPEN_CHANGE_STATES } from '@internal/plugin-gitops-common';
import type { GitOpsPermissions } from '../hooks/useGitOpsPermissions';
import { changeStateLabel, strings } from '../strings';

/** Whether an action can be used, and why not. */
export interface ActionAvailability {
  /** Hidden entirely (e.g. Sync when already Synced, override without permission). */
  visible: boolean;
  /** Reason it is disabled; undefined when enabled. */
  disabledReason?: string;
}

const ok: ActionAvailability = { visible: true };
const disabled = (reason: string): ActionAvailability => ({
  visible: true,
  disabledReason: reason,
});

function createReason(perms: GitOpsPermissions): string | undefined {
  if (perms.create.loading) return strings.reasonLoadingPermission;
  if (!perms.create.allowed) return strings.reasonNoPermission;
  return undefined;
}

function openChangeReason(
  env: string,
  open?: ChangeRequest,
): string | undefined {
  return open
    ? strings.reasonOpenChange(env, changeStateLabel(open.state))
    : undefined;
}

/** Promote from `source` to `target`. */
export function promoteAvailability(
  source: EnvironmentState,
  target: EnvironmentState,
  targetOpenChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
): ActionAvailability {
  const reason =
    createReason(perms) ??
    (source.error ? strings.reasonUnreadable(source.name) : undefined) ??
    (target.error ? strings.reasonUnreadable(target.name) : undefined) ??
    (!source.version
      ? strings.reasonNoSourceVersion(source.name)
      : undefined) ??
    (source.health?.status === 'Degraded'
      ? strings.reasonSourceDegraded(source.name)
      : undefined) ??
    openChangeReason(target.name, targetOpenChange);
  return reason ? disabled(reason) : ok;
}

/** Sync: only shown when the environment is OutOfSync. */
export function syncAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
): ActionAvailability {
  if (env.syncStatus !== 'OutOfSync') return { visible: false };
  const reason =
    createReason(perms) ??
    openChangeReason(env.name, openChange) ??
    (env.operation?.phase === 'Running'
      ? strings.reasonOperationRunning(env.name)
      : undefined);
  return reason ? disabled(reason) : ok;
}

export function rollbackAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
): ActionAvailability {
  if (!env.application && !env.error)
    return disabled(strings.reasonNoApp(env.name));
  const reason =
    createReason(perms) ??
    (env.error ? strings.reasonUnreadable(env.name) : undefined) ??
    openChangeReason(env.name, openChange) ??
    (env.operation?.phase === 'Running'
      ? strings.reasonOperationRunning(env.name)
      : undefined);
  return reason ? disabled(reason) : ok;
}

/** Emergency override: only shown with the permission, when a window is closed. */
export function overrideAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
): ActionAvailability {
  if (!perms.override.allowed || !env.window || env.window.open) {
    return { visible: false };
  }
  const reason = createReason(perms) ?? openChangeReason(env.name, openChange);
  return reason ? disabled(reason) : ok;
}

/** Approve / reject a change. */
export function decisionAvailability(
  change: ChangeRequest,
  userRef: string | undefined,
  pendingForMe: Set<string>,
  perms: GitOpsPermissions,
): ActionAvailability {
  if (change.state !== 'awaiting_approval')
    return disabled(strings.reasonNotOpen);
  if (userRef && change.requestedBy === userRef)
    return disabled(strings.reasonOwnChange);
  if (userRef && change.approvals.some(a => a.approver === userRef)) {
    return disabled(strings.reasonAlreadyDecided);
  }
  if (perms.approve.loading) return disabled(strings.reasonLoadingPermission);
  if (!perms.approve.allowed || !pendingForMe.has(change.id)) {
    return disabled(strings.reasonNotApprover);
  }
  return ok;
}

/** Cancel a change: the requester, while it is open and not executing. */
export function cancelAvailability(
  change: ChangeRequest,
  userRef: string | undefined,
): ActionAvailability {
  if (
    !OPEN_CHANGE_STATES.includes(change.state) ||
    change.state === 'executing'
  ) {
    return { visible: false };
  }
  if (change.requestedBy !== userRef)
    return disabled(strings.reasonNotRequester);
  return ok;
}
