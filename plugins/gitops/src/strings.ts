/**
 * Every user-facing string of the GitOps plugin, in one place.
 */
import type { ChangeKind, ChangeState } from '@internal/plugin-gitops-common';

export const strings = {
  pluginTitle: 'GitOps',
  tabTitle: 'GitOps',
  approvalsTitle: 'Approvals',
  approvalsSubtitle: 'GitOps changes waiting for your decision',
  summaryTitle: 'GitOps',
  summaryDeepLink: 'Open GitOps tab',

  // empty / loading / errors
  notConfiguredTitle: 'GitOps is not configured for this entity',
  notConfiguredDescription:
    'Add one of these annotations to the entity to see what runs where: ' +
    '`gitops/app` (base application name; environment apps are found through the pipeline, e.g. `{app}-{env}`), ' +
    '`argocd/app-name` (one Argo CD app or a comma-separated list), or ' +
    '`argocd/app-selector` (a label selector). Optional: `gitops/pipeline`, `gitops/instance` or `argocd/instance-name`, `gitops/helm-release`.',
  loadingLabel: 'Loading GitOps state',
  noEnvironments: 'The pipeline has no environments for this entity.',
  changesLoadError: 'Could not load change requests',
  approvalsLoadError: 'Could not load approvals',

  // header
  pipelineLabel: (p: string) => `Pipeline: ${p}`,
  liveUpdating: 'Live: updating every 2 s',
  refresh: 'Refresh',

  // card
  versionLabel: 'Version',
  noVersion: 'no version',
  appLabel: 'Argo CD app',
  openInArgo: (app: string) => `Open ${app} in Argo CD`,
  syncLabel: 'Sync',
  healthLabel: 'Health',
  lastDeploy: 'Last deploy',
  deployedBy: (when: string, who?: string) =>
    who ? `${when} by ${who}` : when,
  neverDeployed: 'not deployed yet',
  viaChange: (who: string) => `change requested by ${who}`,
  operationRunning: (rev?: string) =>
    rev ? `Syncing to ${rev.slice(0, 7)}` : 'Operation running',
  operationFailed: 'Last operation failed',
  dryRun: 'dry run',
  windowOpenUntil: 'Window open until',
  windowOpen: 'Window open',
  windowClosedOpens: 'Window closed; opens',
  windowClosed: 'Window closed',
  unhealthyResources: (n: number) =>
    `${n} unhealthy resource${n === 1 ? '' : 's'}`,
  degradedBanner: (env: string) =>
    `${env} is Degraded: promotions out of it are blocked`,
  environmentError: (env: string) => `${env} could not be read`,

  // actions
  promoteTo: (env: string) => `Promote to ${env}`,
  sync: 'Sync',
  rollback: 'Rollback',
  emergency: 'Emergency override',
  viewChange: 'View change',
  actionsFor: (env: string) => `Actions for ${env}`,
  unavailable: (label: string, reason: string) =>
    `${label} (unavailable: ${reason})`,
  reasonNoPermission:
    'You do not have permission to request changes for this entity',
  reasonLoadingPermission: 'Checking your permissions…',
  reasonNoSourceVersion: (env: string) => `${env} has no version to promote`,
  reasonSourceDegraded: (env: string) =>
    `${env} is Degraded: promotions out of it are blocked`,
  reasonOpenChange: (env: string, state: string) =>
    `${env} already has an open change (${state})`,
  reasonUnreadable: (env: string) => `${env} could not be read`,
  reasonOperationRunning: (env: string) => `An operation is running in ${env}`,
  reasonNoApp: (env: string) => `${env} has no Argo CD application`,

  // dialog
  dialogTitle: (kind: ChangeKind, env: string, from?: string) =>
    ({
      promote: `Promote ${from ?? ''} → ${env}`,
      sync: `Sync ${env}`,
      rollback: `Roll back ${env}`,
    }[kind]),
  versionField: 'Version to run',
  versionHelper: (src: string, v?: string) =>
    v ? `${src} runs ${v}` : `${src} has no version`,
  reasonField: 'Reason',
  reasonHelper:
    'Why this change? Shown to approvers and kept in the audit log.',
  reasonRequiredOverride: 'A reason is required for an emergency override.',
  rollbackPick: 'Go back to',
  rollbackNoHistory: 'No earlier deployment to roll back to.',
  rollbackCurrent: 'running now',
  checksTitle: 'Policy checks',
  checksLoading: 'Evaluating the policy…',
  checksEmpty: 'No checks apply.',
  requiredApprovals: (n: number) =>
    n === 0
      ? 'No approval needed: runs as soon as it is allowed.'
      : `Needs ${n} approval${n === 1 ? '' : 's'} before it runs.`,
  previewBlocked: 'The policy does not allow this change now.',
  previewAllowed: 'The policy allows this change.',
  diffTitle: 'What will change',
  diffNone: 'No differences between live and Git.',
  diffUnavailable: (env: string) =>
    `The live-vs-Git diff of ${env} could not be read`,
  diffDriftTitle: (env: string) => `Live vs Git in ${env} now`,
  versionChange: (from?: string, to?: string) =>
    `${from ?? '(none)'} → ${to ?? '(none)'}`,
  overrideLabel: 'Emergency override: bypass the sync window',
  overrideWarning:
    'Deploys outside the sync window. Use only for incidents: the override is audited and still needs its approvals.',
  submit: (kind: ChangeKind) =>
    ({
      promote: 'Request promotion',
      sync: 'Request sync',
      rollback: 'Request rollback',
    }[kind]),
  submitOverride: 'Deploy with emergency override',
  cancel: 'Cancel',
  close: 'Close',
  created: (state: ChangeState) =>
    `Change requested: ${changeStateLabel(state)}`,

  // change detail
  changeTitle: (kind: ChangeKind, env: string) =>
    `${kindLabel(kind)} in ${env}`,
  requestedBy: 'Requested by',
  reasonShown: 'Reason',
  approvalsTitle2: 'Approvals',
  approvalsCount: (n: number, of: number) => `${n} of ${of} approvals`,
  noApprovals: 'No decision yet.',
  eventsTitle: 'Steps and events',
  commentField: 'Comment',
  approve: 'Approve',
  reject: 'Reject',
  cancelChange: 'Cancel change',
  reasonOwnChange: 'You requested this change; someone else must approve it',
  reasonNotApprover: 'You are not an approver for this change',
  reasonAlreadyDecided: 'You already decided on this change',
  reasonNotOpen: 'This change is no longer waiting for approval',
  reasonNotRequester: 'Only the requester can cancel this change',
  overrideBadge: 'EMERGENCY OVERRIDE',
  waitsForWindow: (at?: string) =>
    at
      ? `Approved; waits for the sync window and runs when it opens: ${at}.`
      : 'Approved; waits for the sync window and runs when it opens.',
  decided: (d: 'approve' | 'reject') =>
    d === 'approve' ? 'Approved' : 'Rejected',
  resultCommit: 'Commit',
  resultFailedStep: 'Failed step',

  // panels
  tabChanges: 'Changes',
  tabHistory: 'History',
  tabDiff: 'Diff',
  noChanges: 'No change requests yet.',
  noHistory: 'No deployments yet.',
  historyArgo: 'Argo CD',
  historyHelm: 'Helm',
  historyChange: 'Change request',
  environmentSelect: 'Environment',

  // approvals inbox
  inboxEmpty: 'Nothing is waiting for your decision.',
  columnEntity: 'Entity',
  columnEnv: 'Environment',
  columnChange: 'Change',
  columnRequester: 'Requested by',
  columnAge: 'Requested',
  columnChecks: 'Checks',
  columnState: 'State',
  review: 'Review',
};

const KIND_LABELS: Record<ChangeKind, string> = {
  promote: 'Promotion',
  sync: 'Sync',
  rollback: 'Rollback',
};

export function kindLabel(kind: ChangeKind): string {
  return KIND_LABELS[kind];
}

const STATE_LABELS: Record<ChangeState, string> = {
  awaiting_approval: 'awaiting approval',
  approved: 'approved',
  waiting_for_window: 'waiting for window',
  executing: 'executing',
  succeeded: 'succeeded',
  failed: 'failed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  expired: 'expired',
  blocked: 'blocked by policy',
};

export function changeStateLabel(state: ChangeState): string {
  return STATE_LABELS[state] ?? state;
}
