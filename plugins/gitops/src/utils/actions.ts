import type {
  ChangeRequest,
  EnvironmentState,
} from '@internal/plugin-gitops-common';
import { OPEN_CHANGE_STATES } from '@internal/plugin-gitops-common';
import type { GitOpsPermissions } from '../hooks/useGitOpsPermissions';
import { changeStateLabel } from '../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../translation';

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

function createReason(
  perms: GitOpsPermissions,
  t: GitOpsT,
): string | undefined {
  if (perms.create.loading) return t('reasons.loadingPermission');
  if (!perms.create.allowed) return t('reasons.noPermission');
  return undefined;
}

function openChangeReason(
  t: GitOpsT,
  env: string,
  open?: ChangeRequest,
): string | undefined {
  return open
    ? t('reasons.openChange', { env, state: changeStateLabel(t, open.state) })
    : undefined;
}

/** Promote from `source` to `target`. */
export function promoteAvailability(
  source: EnvironmentState,
  target: EnvironmentState,
  targetOpenChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
  t: GitOpsT,
): ActionAvailability {
  const reason =
    createReason(perms, t) ??
    (source.error
      ? t('reasons.unreadable', { env: source.name })
      : undefined) ??
    (target.error
      ? t('reasons.unreadable', { env: target.name })
      : undefined) ??
    (!source.version
      ? t('reasons.noSourceVersion', { env: source.name })
      : undefined) ??
    (source.health?.status === 'Degraded'
      ? t('reasons.sourceDegraded', { env: source.name })
      : undefined) ??
    openChangeReason(t, target.name, targetOpenChange);
  return reason ? disabled(reason) : ok;
}

/** Sync: only shown when the environment is OutOfSync. */
export function syncAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
  t: GitOpsT,
): ActionAvailability {
  if (env.syncStatus !== 'OutOfSync') return { visible: false };
  const reason =
    createReason(perms, t) ??
    openChangeReason(t, env.name, openChange) ??
    (env.operation?.phase === 'Running'
      ? t('reasons.operationRunning', { env: env.name })
      : undefined);
  return reason ? disabled(reason) : ok;
}

/** Rollback: disabled without an application, while unreadable or busy. */
export function rollbackAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
  t: GitOpsT,
): ActionAvailability {
  if (!env.application && !env.error)
    return disabled(t('reasons.noApp', { env: env.name }));
  const reason =
    createReason(perms, t) ??
    (env.error ? t('reasons.unreadable', { env: env.name }) : undefined) ??
    openChangeReason(t, env.name, openChange) ??
    (env.operation?.phase === 'Running'
      ? t('reasons.operationRunning', { env: env.name })
      : undefined);
  return reason ? disabled(reason) : ok;
}

/** Emergency override: only shown with the permission, when a window is closed. */
export function overrideAvailability(
  env: EnvironmentState,
  openChange: ChangeRequest | undefined,
  perms: GitOpsPermissions,
  t: GitOpsT,
): ActionAvailability {
  if (!perms.override.allowed || !env.window || env.window.open) {
    return { visible: false };
  }
  const reason =
    createReason(perms, t) ?? openChangeReason(t, env.name, openChange);
  return reason ? disabled(reason) : ok;
}

/** Approve / reject a change. */
export function decisionAvailability(
  change: ChangeRequest,
  userRef: string | undefined,
  pendingForMe: Set<string>,
  perms: GitOpsPermissions,
  t: GitOpsT,
): ActionAvailability {
  if (change.state !== 'awaiting_approval')
    return disabled(t('reasons.notOpen'));
  if (userRef && change.requestedBy === userRef)
    return disabled(t('reasons.ownChange'));
  if (userRef && change.approvals.some(a => a.approver === userRef)) {
    return disabled(t('reasons.alreadyDecided'));
  }
  if (perms.approve.loading) return disabled(t('reasons.loadingPermission'));
  if (!perms.approve.allowed || !pendingForMe.has(change.id)) {
    return disabled(t('reasons.notApprover'));
  }
  return ok;
}

/** Cancel a change: the requester, while it is open and not executing. */
export function cancelAvailability(
  change: ChangeRequest,
  userRef: string | undefined,
  t: GitOpsT,
): ActionAvailability {
  if (
    !OPEN_CHANGE_STATES.includes(change.state) ||
    change.state === 'executing'
  ) {
    return { visible: false };
  }
  if (change.requestedBy !== userRef)
    return disabled(t('reasons.notRequester'));
  return ok;
}
