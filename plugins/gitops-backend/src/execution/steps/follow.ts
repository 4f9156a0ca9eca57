import { historyIdOf } from '../../deployments/recording';
import {
  OperationMatcher,
  findOperation,
  healthVerdict,
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
  wroteSomething,
} from '../StepContext';

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
