import { ApplicationSyncRequest, ArgoApplication } from '../../argocd/types';
import { changeInfos, classifyArgoError, operationSlot } from '../operation';
import { StepContext, StepOutcome, wroteSomething } from '../StepContext';

/**
 * What the steps that operate Argo CD (`dry-run`, `sync`, `follow`) share:
 * sending the sync (or the history rollback) and mapping Argo CD's
 * refusals, the operation slot's state as text, the history rollback's
 * revision, and noting on a finished step what it waited for.
 */

/** Whether the change is a rollback through Argo CD's history (not Git). */
export function isHistoryRollback(ctx: StepContext): boolean {
  return ctx.change.kind === 'rollback' && ctx.rollback === 'argocd-history';
}

/** The revision of the history row the rollback goes back to. */
export function historyRevision(
  ctx: StepContext,
  app: ArgoApplication,
): string | undefined {
  const id = String(ctx.change.rollbackTo?.historyId);
  return (app.status?.history ?? []).find(h => String(h.id) === id)?.revision;
}

/** What the application's operation slot is busy with, or undefined when idle. */
export function busyText(
  app: ArgoApplication,
  changeId: string,
): string | undefined {
  const slot = operationSlot(app, changeId);
  if (slot.kind === 'idle') return undefined;
  let who = `our ${slot.kind === 'ours' && slot.dryRun ? 'dry-run' : 'sync'}`;
  if (slot.kind === 'foreign')
    who = slot.automated ? 'an auto-sync' : 'another operation';
  return `waiting for ${who} (${slot.phase}${
    slot.message ? `: ${slot.message}` : ''
  })`;
}

/** Sends a sync (or, for a history rollback, a rollback) and maps Argo CD's refusals. */
export async function send(
  ctx: StepContext,
  dryRun: boolean,
): Promise<{ sent: true } | { waiting: string } | { value: StepOutcome }> {
  const { target, change, services } = ctx;
  const scope = { project: target.project, appNamespace: target.appNamespace };
  try {
    if (isHistoryRollback(ctx)) {
      await services.argo.rollback(target.instance, target.application, {
        id: change.rollbackTo!.historyId!,
        dryRun,
        prune: target.prune,
        ...scope,
      });
    } else {
      const body: ApplicationSyncRequest = {
        dryRun,
        prune: target.prune,
        infos: changeInfos(change.id, dryRun ? 'dry-run' : 'sync'),
        ...scope,
      };
      await services.argo.sync(target.instance, target.application, body);
    }
    return { sent: true };
  } catch (e) {
    const kind = classifyArgoError(e);
    if (kind === 'busy')
      return { waiting: 'Argo CD: another operation is already in progress' };
    if (kind === 'window') {
      return {
        value: {
          kind: 'wait',
          message: `Argo CD refused the ${
            dryRun ? 'dry-run' : 'sync'
          }: blocked by sync window`,
          runAfter: new Date(
            services.clock.now().getTime() + services.settings.windowRetryMs,
          ),
        },
      };
    }
    return {
      value: {
        kind: 'fail',
        message: `Argo CD refused the ${dryRun ? 'dry-run' : 'sync'}: ${
          (e as Error).message
        }`,
        rollbackOffered: !dryRun && wroteSomething(ctx),
      },
    };
  }
}

/** Records on a finished step that it first waited for another operation. */
export function withWait(
  outcome: StepOutcome,
  waitedFor: string | undefined,
): StepOutcome {
  if (outcome.kind !== 'done' || !waitedFor) return outcome;
  return {
    ...outcome,
    message: `${outcome.message} (after ${waitedFor})`,
    data: { ...outcome.data, waitedFor },
  };
}
