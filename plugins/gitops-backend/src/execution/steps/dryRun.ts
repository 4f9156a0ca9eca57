import {
  OperationMatcher,
  findOperation,
  rollbackBy,
  stampedBy,
} from '../operation';
import {
  formatMs,
  pollUntil,
  readApp,
  StepContext,
  StepOutcome,
  wroteSomething,
} from '../StepContext';
import {
  busyText,
  historyRevision,
  isHistoryRollback,
  send,
  withWait,
} from './operate';

/** Polls between a dry-run request and giving up on seeing it (it may be superseded fast). */
const POLLS_BEFORE_RESEND = 3;

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
