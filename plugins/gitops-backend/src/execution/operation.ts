import { GITOPS_CHANGE_INFO_NAME } from '@internal/plugin-gitops-common';
import { ArgoCdRefusal, argoCdErrorInfo } from '../argocd/errors';
import { ArgoApplication, ArgoOperation } from '../argocd/types';

/**
 * Pure reading of an Argo CD Application while a change executes: whose
 * operation is running, how it ended, what the health says.
 */

/** The `infos` stamp on every operation we start. @internal */
export function changeInfos(changeId: string, step: 'dry-run' | 'sync') {
  return [
    { name: GITOPS_CHANGE_INFO_NAME, value: changeId },
    { name: 'gitops-step', value: step },
  ];
}

function stamp(op: ArgoOperation | undefined): {
  changeId?: string;
  step?: string;
} {
  const info = op?.info ?? [];
  return {
    changeId: info.find(i => i.name === GITOPS_CHANGE_INFO_NAME)?.value,
    step: info.find(i => i.name === 'gitops-step')?.value,
  };
}

/** Whether auto-sync is on (3.1+: `automated` present and `enabled` not false). @internal */
export function isAutoSync(app: ArgoApplication): boolean {
  const a = app.spec.syncPolicy?.automated;
  return !!a && a.enabled !== false;
}

/** What occupies the app's operation slot. @internal */
export type OperationSlot =
  | { kind: 'idle' }
  | {
      kind: 'ours';
      dryRun: boolean;
      phase: 'Pending' | 'Running' | 'Terminating';
      message?: string;
    }
  | {
      kind: 'foreign';
      automated: boolean;
      phase: 'Pending' | 'Running' | 'Terminating';
      message?: string;
    };

/**
 * Who occupies the operation slot: "busy" is `operation` present or
 * `operationState.phase` Running/Terminating (argocd-and-promotion C.6).
 *
 * @internal
 */
export function operationSlot(
  app: ArgoApplication,
  changeId: string,
): OperationSlot {
  const state = app.status?.operationState;
  const running =
    state && (state.phase === 'Running' || state.phase === 'Terminating');
  const op = app.operation ?? (running ? state?.operation : undefined);
  if (!op) return { kind: 'idle' };
  const phase: 'Pending' | 'Running' | 'Terminating' = running
    ? (state!.phase as 'Running' | 'Terminating')
    : 'Pending';
  const message = running ? state?.message : undefined;
  if (stamp(op).changeId === changeId) {
    return { kind: 'ours', dryRun: !!op.sync?.dryRun, phase, message };
  }
  return {
    kind: 'foreign',
    automated: !!op.initiatedBy?.automated,
    phase,
    message,
  };
}

/** Outcome of an operation we started, as far as the app shows it. @internal */
export type OperationOutcome =
  | { kind: 'running'; message?: string; blockedByWindow: boolean }
  | {
      kind: 'succeeded';
      message?: string;
      finishedAt?: string;
      revision?: string;
    }
  | { kind: 'failed'; phase: string; message: string }
  /** Our operation is neither pending, running nor the last finished one. */
  | { kind: 'unknown' };

/** Picks one operation out of an app's `operation` / `operationState`. @internal */
export type OperationMatcher = (
  op: ArgoOperation | undefined,
  startedAt?: string,
) => boolean;

/** Matches the operations stamped with our change id (`dryRun` tells dry-run from sync). @internal */
export function stampedBy(changeId: string, dryRun: boolean): OperationMatcher {
  return op => stamp(op).changeId === changeId && !!op?.sync?.dryRun === dryRun;
}

/**
 * Matches an Argo CD rollback we started (rollback requests carry no
 * `infos`): a manual operation to the history entry's revision that started
 * after `previousStartedAt` (the operation state we saw before the call).
 *
 * @internal
 */
export function rollbackBy(
  revision: string | undefined,
  dryRun: boolean,
  previousStartedAt: string | undefined,
): OperationMatcher {
  return (op, startedAt) =>
    !!op &&
    !op.initiatedBy?.automated &&
    !!op.sync?.dryRun === dryRun &&
    (!revision || op.sync?.revision === revision) &&
    (startedAt === undefined || startedAt !== previousStartedAt);
}

/**
 * The state of the operation `match` picks, as far as the app shows it.
 *
 * @internal
 */
export function findOperation(
  app: ArgoApplication,
  match: OperationMatcher,
): OperationOutcome {
  const state = app.status?.operationState;
  const stateMatches = !!state && match(state.operation, state.startedAt ?? '');
  if (!stateMatches) {
    // set by the API, not yet picked up by the controller
    return app.operation && match(app.operation, undefined)
      ? { kind: 'running', blockedByWindow: false }
      : { kind: 'unknown' };
  }
  const message = state!.message;
  switch (state!.phase) {
    case 'Running':
    case 'Terminating':
      return {
        kind: 'running',
        message,
        blockedByWindow: /blocked by sync window/i.test(message ?? ''),
      };
    case 'Succeeded':
      return {
        kind: 'succeeded',
        message,
        finishedAt: state!.finishedAt,
        revision: state!.syncResult?.revision,
      };
    default:
      return {
        kind: 'failed',
        phase: state!.phase,
        message: describeFailure(app, message),
      };
  }
}

/** The state of the operation stamped with our change id. @internal */
export function ourOperation(
  app: ArgoApplication,
  changeId: string,
  dryRun: boolean,
): OperationOutcome {
  return findOperation(app, stampedBy(changeId, dryRun));
}

function describeFailure(app: ArgoApplication, message?: string): string {
  const failed = (app.status?.operationState?.syncResult?.resources ?? [])
    .filter(r => r.status === 'SyncFailed')
    .map(r => `${r.kind}/${r.name}: ${r.message ?? 'failed'}`);
  return [message ?? 'operation failed', ...failed.slice(0, 3)].join('; ');
}

/** Health verdict after the sync operation finished. @internal */
export type HealthVerdict =
  | { kind: 'healthy' }
  | { kind: 'degraded'; message: string }
  | { kind: 'waiting'; reason: string };

/**
 * Healthy, Degraded or still waiting. When the version is known, the app
 * must run it (`status.summary.images` contains `:<version>`) before its
 * health counts; otherwise the app must have been reconciled after the sync
 * finished. Either way a stale Healthy from before the rollout is not taken
 * for the new version's.
 *
 * @internal
 */
export function healthVerdict(
  app: ArgoApplication,
  expect: { version?: string; revision?: string; syncFinishedAt?: string },
): HealthVerdict {
  const images = app.status?.summary?.images ?? [];
  if (expect.version && !images.some(i => imageTag(i) === expect.version)) {
    return {
      kind: 'waiting',
      reason: `waiting for ${expect.version} to run (images: ${
        images.join(', ') || 'none'
      })`,
    };
  }
  // Without a version to look for, only a comparison made after the sync
  // finished tells the new health from the old.
  const reconciledAt = Date.parse(app.status?.reconciledAt ?? '');
  const finishedAt = Date.parse(expect.syncFinishedAt ?? '');
  if (!expect.version && reconciledAt < finishedAt) {
    return {
      kind: 'waiting',
      reason: 'waiting for Argo CD to reconcile after the sync',
    };
  }
  if (
    expect.revision &&
    app.status?.sync?.revision &&
    app.status.sync.revision !== expect.revision
  ) {
    return {
      kind: 'waiting',
      reason: `waiting for revision ${expect.revision.slice(
        0,
        12,
      )} (at ${app.status.sync.revision.slice(0, 12)})`,
    };
  }
  const health = app.status?.health;
  switch (health?.status) {
    case 'Healthy':
      return { kind: 'healthy' };
    case 'Degraded': {
      const bad = (app.status?.resources ?? [])
        .filter(r => r.health?.status === 'Degraded')
        .map(
          r =>
            `${r.kind}/${r.name}${
              r.health?.message ? `: ${r.health.message}` : ''
            }`,
        );
      return {
        kind: 'degraded',
        message: ['application is Degraded', ...bad.slice(0, 3)].join('; '),
      };
    }
    default:
      return {
        kind: 'waiting',
        reason: `health is ${health?.status ?? 'Unknown'}`,
      };
  }
}

/** The tag of an image reference (`repo:tag` or `repo:tag@sha256:…`). @internal */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0];
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : undefined;
}

/** What kind of refusal an error from an Argo CD write call is. @internal */
export type ArgoRefusal =
  | 'busy'
  | 'window'
  | 'auto-sync-rollback'
  | 'auto-sync-revision'
  | 'other';

const REFUSAL_KINDS: Record<ArgoCdRefusal, ArgoRefusal> = {
  'operation-in-progress': 'busy',
  'sync-window': 'window',
  'auto-sync-rollback': 'auto-sync-rollback',
  'auto-sync-revision': 'auto-sync-revision',
};

/** Reads the refusal the Argo CD client put on its error (never the message). @internal */
export function classifyArgoError(e: unknown): ArgoRefusal {
  const refusal = argoCdErrorInfo(e)?.refusal;
  return refusal ? REFUSAL_KINDS[refusal] : 'other';
}
