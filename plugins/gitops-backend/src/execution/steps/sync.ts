import { ArgoApplication } from '../../argocd/types';
import { findOperation, isAutoSync, stampedBy } from '../operation';
import {
  formatMs,
  pollUntil,
  readApp,
  StepContext,
  StepOutcome,
  writtenCommit,
  wroteSomething,
} from '../StepContext';
import {
  busyText,
  historyRevision,
  isHistoryRollback,
  send,
  withWait,
} from './operate';

/** Whether Argo CD (auto-sync) already deployed what this change wrote. */
async function alreadyDeployed(
  ctx: StepContext,
  app: ArgoApplication,
): Promise<boolean> {
  if (app.status?.sync?.status !== 'Synced') return false;
  const revision = app.status.sync.revision;
  const commit = writtenCommit(ctx);
  const wb = ctx.target.writeBack;
  if (commit && wb?.method === 'git' && revision && ctx.services.git) {
    return ctx.services.git.contains(wb.repository, commit, revision);
  }
  return !commit;
}

/**
 * Step `sync`: starts the sync stamped with the change id (or the history
 * rollback). Waits for a foreign operation first; with auto-sync on, an
 * auto-sync that already deployed our commit counts and no sync is sent.
 * A resumed execution that finds its own operation does not sync again.
 */
export async function syncStep(ctx: StepContext): Promise<StepOutcome> {
  const { settings, clock } = ctx.services;
  const deadline = clock.now().getTime() + settings.busyTimeoutMs;
  const history = isHistoryRollback(ctx);
  const r = await pollUntil<StepOutcome>(ctx, deadline, async () => {
    const app = await readApp(ctx);
    if (
      !history &&
      findOperation(app, stampedBy(ctx.change.id, false)).kind !== 'unknown'
    ) {
      return {
        value: {
          kind: 'done',
          message: 'our sync operation is already running',
          data: { by: 'ours' },
        },
      };
    }
    const busy = busyText(app, ctx.change.id);
    if (busy) return { waiting: busy };
    if (!history && isAutoSync(app) && (await alreadyDeployed(ctx, app))) {
      return {
        value: {
          kind: 'done',
          message: `auto-sync already synced ${app.status?.sync?.revision?.slice(
            0,
            12,
          )}; no sync needed`,
          data: { by: 'auto-sync', revision: app.status?.sync?.revision },
        },
      };
    }
    const revision = history ? historyRevision(ctx, app) : undefined;
    const previousStartedAt = app.status?.operationState?.startedAt;
    await ctx.markSyncRequested({ history, revision, previousStartedAt });
    const s = await send(ctx, false);
    if ('sent' in s) {
      return {
        value: {
          kind: 'done',
          message: history
            ? `Argo CD rollback to history id ${ctx.change.rollbackTo?.historyId} started`
            : `sync started${ctx.target.prune ? ' (prune)' : ''}`,
          data: history
            ? { by: 'rollback', revision, previousStartedAt }
            : { by: 'ours' },
        },
      };
    }
    return s;
  });
  if ('timedOut' in r) {
    return {
      kind: 'fail',
      message: `could not start the sync within ${formatMs(
        settings.busyTimeoutMs,
      )} (${r.last})`,
      rollbackOffered: wroteSomething(ctx),
    };
  }
  return withWait(r.value, r.waitedFor);
}
