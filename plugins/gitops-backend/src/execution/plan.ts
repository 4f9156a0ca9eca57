import {
  ChangeEvent,
  ChangeKind,
  RollbackTarget,
} from '@internal/plugin-gitops-common';
import { WriteBackSpec } from '../writeback/config';

/**
 * Pure planning of a change's execution: which steps, in which order, and
 * which one comes next given the steps already recorded as events.
 */

/** Execution steps; each completed one is a `step.<name>` event. @internal */
export type StepName =
  /** The policy before anything is written (a closed window waits before Git changes). */
  | 'precheck'
  | 'write'
  | 'refresh'
  | 'diff'
  | 'disable-auto-sync'
  | 'dry-run'
  | 'recheck'
  | 'sync'
  | 'follow';

/** How a rollback is carried out. @internal */
export type RollbackMethod =
  /** `git revert` of the commit that brought the current version (recommended). */
  | 'git-revert'
  /** Set the Helm parameter back (argocd write-back). */
  | 'argocd-parameter'
  /** Argo CD's rollback to a history id. */
  | 'argocd-history';

/**
 * Chooses the rollback method so that Git and the cluster stay in agreement:
 * with a git write-back every rollback writes Git (a revert, or the target
 * version at the key) and then syncs, whichever way it was asked for
 * (history row, revision, version) — the version of a history row comes
 * from the read side; without one it is refused. With the `argocd`
 * write-back, the target version goes into the Helm parameter, and Argo CD's
 * history rollback serves a history row. Without a write-back only Argo CD's
 * history rollback exists.
 *
 * @internal
 */
export function rollbackMethod(
  rollbackTo: RollbackTarget | undefined,
  version: string | undefined,
  writeBack: WriteBackSpec | undefined,
): RollbackMethod {
  const target = rollbackTo?.version ?? version;
  if (writeBack?.method === 'git') {
    if (!target) {
      throw new Error(
        'the version of the rollback target is not known, so Git cannot be written back to it (a history rollback would leave Git on the current version); roll back by version',
      );
    }
    return 'git-revert';
  }
  if (writeBack?.method === 'argocd' && target) {
    return 'argocd-parameter';
  }
  if (rollbackTo?.historyId !== undefined) {
    return 'argocd-history';
  }
  throw new Error(
    'a rollback needs a target version (with a write-back configured) or an Argo CD history id',
  );
}

/** Inputs of {@link planSteps}. @internal */
export interface PlanInput {
  kind: ChangeKind;
  writeBack?: WriteBackSpec;
  dryRunRequired: boolean;
  rollback?: RollbackMethod;
}

/**
 * Steps of a change in order:
 * - promote: precheck → write → refresh → diff → dry-run? → recheck → sync → follow
 * - sync (Git already says what to run): refresh → diff → dry-run? → recheck → sync → follow
 * - rollback by write-back: like promote (the write is a revert)
 * - rollback by Argo CD history: refresh → disable-auto-sync → dry-run? → recheck → sync → follow
 *
 * @internal
 */
export function planSteps(input: PlanInput): StepName[] {
  const dry: StepName[] = input.dryRunRequired ? ['dry-run'] : [];
  switch (input.kind) {
    case 'promote':
      if (!input.writeBack) {
        throw new Error(
          'promotion needs a write-back (environments[].writeBack) for this environment',
        );
      }
      return [
        'precheck',
        'write',
        'refresh',
        'diff',
        ...dry,
        'recheck',
        'sync',
        'follow',
      ];
    case 'sync':
      return ['refresh', 'diff', ...dry, 'recheck', 'sync', 'follow'];
    case 'rollback':
      if (input.rollback === 'argocd-history') {
        return [
          'refresh',
          'disable-auto-sync',
          ...dry,
          'recheck',
          'sync',
          'follow',
        ];
      }
      return [
        'precheck',
        'write',
        'refresh',
        'diff',
        ...dry,
        'recheck',
        'sync',
        'follow',
      ];
    default:
      throw new Error(`unknown change kind '${input.kind as string}'`);
  }
}

/** What earlier attempts recorded, by step. @internal */
export interface Progress {
  done: Map<StepName, { at: string; data: Record<string, unknown> }>;
  /** `step.sync.requested`: a sync/rollback call may have reached Argo CD. */
  syncRequestedAt?: string;
}

/**
 * Rebuilds progress from the change's events (oldest first). A wait for a
 * window undoes the policy checks before it, so they run again on resume.
 *
 * @internal
 */
export function progressFromEvents(events: ChangeEvent[]): Progress {
  const done = new Map<
    StepName,
    { at: string; data: Record<string, unknown> }
  >();
  let syncRequestedAt: string | undefined;
  for (const e of events) {
    if (e.type === 'waiting_for_window') {
      // time passed while parked: the policy is evaluated again on resume
      done.delete('precheck');
      done.delete('recheck');
      continue;
    }
    if (e.type === 'step.sync.requested') {
      syncRequestedAt = e.at;
      continue;
    }
    if (!e.type.startsWith('step.')) continue;
    const step = e.type.slice(5) as StepName;
    done.set(step, { at: e.at, data: e.data ?? {} });
  }
  return { done, syncRequestedAt };
}

/**
 * The next step to run, or undefined when all are done. Once the sync is
 * recorded nothing before it runs again (a resumed execution follows the
 * operation instead of re-checking or syncing twice). Refresh is cheap and
 * runs again after a resumed write.
 *
 * @internal
 */
export function nextStep(
  plan: StepName[],
  progress: Progress,
): StepName | undefined {
  const syncIdx = plan.indexOf('sync');
  const synced = progress.done.has('sync');
  for (let i = 0; i < plan.length; i++) {
    const step = plan[i];
    if (synced && i < syncIdx) continue;
    if (!progress.done.has(step)) return step;
  }
  return undefined;
}
