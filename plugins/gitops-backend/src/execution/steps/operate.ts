import { ApplicationSyncRequest, ArgoApplication } from '../../argocd/types';
import { historyIdOf } from '../../deployments/recording';
import {
  changeInfos,
  classifyArgoError,
  findOperation,
  healthVerdict,
  isAutoSync,
  operationSlot,
  OperationMatcher,
  rollbackBy,
  stampedBy,
} from '../operation';
import {
  expectedVersion,
  formatMs,
  pollUntil,
  readApp,
  StepContext,
  StepOutcome,
  writtenCommit,
  wroteSomething,
} from '../StepContext';

/** Polls between a dry-run request and giving up on seeing it (it may be superseded fast). */
const POLLS_BEFORE_RESEND = 3;

function isHistoryRollback(ctx: StepContext): boolean {
  return ctx.change.kind === 'rollback' && ctx.rollback === 'argocd-history';
}

function historyRevision(
  ctx: StepContext,
  app: ArgoApplication,
): string | undefined {
  const id = String(ctx.change.rollbackTo?.historyId);
  return (app.status?.history ?? []).find(h => String(h.id) === id)?.revision;
}

function busyText(app: ArgoApplication, changeId: string): string | undefined {
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
async function send(
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

/** Step `dry-run`: a dry-run operation, waited for until it succeeded. */
export async function dryRunStep(ctx: StepContext): Promise<StepOutcome> {
  const { settings, clock } = ctx.services;
  const deadline =
    clock.now().getTime() +
    settings.busyTimeoutMs +
    settings.operationTimeoutMs;
  let matcher: OperationMatcher | undefined = isHistoryRollback(ctx)
    ? undefined
    : stampedBy(ctx.change.id, true);
  let pollsSinceSend = 0;
  const r = await pollUntil<StepOutcome>(ctx, deadline, async () => {
    const app = await readApp(ctx);
    if (matcher) {
      const o = findOperation(app, matcher);
      if (o.kind === 'running')
        return {
          waiting: `dry-run running${o.message ? `: ${o.message}` : ''}`,
        };
      if (o.kind === 'succeeded') {
        return {
          value: {
            kind: 'done',
            message: `dry-run succeeded${o.message ? `: ${o.message}` : ''}`,
            data: { revision: o.revision },
          },
        };
      }
      if (o.kind === 'failed') {
        return {
          value: {
            kind: 'fail',
            message: `dry-run ${o.phase}: ${o.message}`,
            rollbackOffered: wroteSomething(ctx),
          },
        };
      }
    }
    const busy = busyText(app, ctx.change.id);
    if (busy) return { waiting: busy };
    if (
      matcher &&
      pollsSinceSend > 0 &&
      pollsSinceSend++ < POLLS_BEFORE_RESEND
    ) {
      return { waiting: 'dry-run requested' };
    }
    if (isHistoryRollback(ctx)) {
      matcher = rollbackBy(
        historyRevision(ctx, app),
        true,
        app.status?.operationState?.startedAt,
      );
    }
    const s = await send(ctx, true);
    if ('sent' in s) {
      pollsSinceSend = 1;
      return { waiting: 'dry-run requested' };
    }
    return s;
  });
  if ('timedOut' in r) {
    return {
      kind: 'fail',
      message: `dry-run did not finish within ${formatMs(
        settings.busyTimeoutMs + settings.operationTimeoutMs,
      )} (${r.last})`,
      rollbackOffered: wroteSomething(ctx),
    };
  }
  return withWait(r.value, r.waitedFor);
}

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

/** Records on a finished step that it first waited for another operation. */
function withWait(
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

/**
 * Step `follow`: the operation until it ends, then the health until
 * Healthy (succeeded) or Degraded (failed, rollback offered), or a timeout.
 */
export async function followStep(ctx: StepContext): Promise<StepOutcome> {
  const { settings, clock } = ctx.services;
  const data = ctx.progress.done.get('sync')?.data ?? {};
  const deadline =
    clock.now().getTime() +
    settings.operationTimeoutMs +
    settings.healthTimeoutMs;
  let matcher: OperationMatcher | undefined;
  if (data.by === 'ours') matcher = stampedBy(ctx.change.id, false);
  if (data.by === 'rollback') {
    matcher = rollbackBy(
      data.revision as string | undefined,
      false,
      data.previousStartedAt as string | undefined,
    );
  }
  let operationDone = !matcher;
  let syncedRevision: string | undefined;
  let syncFinishedAt: string | undefined;
  const version = expectedVersion(ctx);
  const r = await pollUntil<StepOutcome>(ctx, deadline, async () => {
    const app = await readApp(ctx);
    if (!operationDone) {
      const o = findOperation(app, matcher!);
      if (o.kind === 'running') {
        if (o.blockedByWindow) {
          return {
            value: {
              kind: 'wait',
              message:
                'Argo CD holds the sync: Sync operation blocked by sync window',
              runAfter: new Date(
                clock.now().getTime() + settings.windowRetryMs,
              ),
            },
          };
        }
        return { waiting: `sync running${o.message ? `: ${o.message}` : ''}` };
      }
      if (o.kind === 'failed') {
        return {
          value: {
            kind: 'fail',
            message: `sync ${o.phase}: ${o.message}`,
            rollbackOffered: wroteSomething(ctx),
          },
        };
      }
      operationDone = true;
      syncedRevision = o.kind === 'succeeded' ? o.revision : undefined;
      syncFinishedAt = o.kind === 'succeeded' ? o.finishedAt : undefined;
    }
    const v = healthVerdict(app, { version, syncFinishedAt });
    if (v.kind === 'healthy') {
      const revision = syncedRevision ?? app.status?.sync?.revision;
      const historyId = historyIdOf(
        app,
        revision,
        ctx.progress.syncRequestedAt
          ? new Date(ctx.progress.syncRequestedAt)
          : undefined,
      );
      return {
        value: {
          kind: 'done',
          message: `${ctx.target.application} is Healthy${
            version ? ` and runs ${version}` : ''
          }`,
          data: {
            revision,
            health: 'Healthy',
            ...(historyId !== undefined ? { historyId } : {}),
          },
        },
      };
    }
    if (v.kind === 'degraded') {
      return {
        value: {
          kind: 'fail',
          message: v.message,
          rollbackOffered: true,
          degraded: true,
        },
      };
    }
    return { waiting: v.reason };
  });
  if ('timedOut' in r) {
    return {
      kind: 'fail',
      message: `timed out after ${formatMs(
        settings.operationTimeoutMs + settings.healthTimeoutMs,
      )} following ${ctx.target.application} (${r.last})`,
      rollbackOffered: wroteSomething(ctx) || ctx.change.kind !== 'rollback',
    };
  }
  return r.value;
}
