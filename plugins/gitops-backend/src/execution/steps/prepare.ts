import { toResourceDiff } from '../../state/resourceDiff';
import { isAutoSync } from '../operation';
import {
  formatMs,
  pollUntil,
  readApp,
  StepContext,
  StepOutcome,
  wroteSomething,
} from '../StepContext';
import { ArgoApplication } from '../../argocd/types';

const MAX_DIFF_CHARS = 20_000;

/** Step `refresh`: a hard refresh so Argo CD compares against the new Git state (blocks until reconciled). */
export async function refreshStep(ctx: StepContext): Promise<StepOutcome> {
  // Argo CD may answer `application refresh deadline exceeded` while its
  // controller is busy: transient answers are retried within the budget.
  const budget = ctx.services.settings.busyTimeoutMs;
  const r = await pollUntil<ArgoApplication>(
    ctx,
    ctx.services.clock.now().getTime() + budget,
    async () => ({
      value: await readApp(ctx, 'hard'),
    }),
  );
  if ('timedOut' in r) {
    return {
      kind: 'fail',
      message: `could not refresh within ${formatMs(budget)} (${r.last})`,
      rollbackOffered: wroteSomething(ctx),
    };
  }
  const app = r.value;
  const s = app.status;
  return {
    kind: 'done',
    message: `refreshed ${app.metadata.name}: ${
      s?.sync?.status ?? 'Unknown'
    } at ${s?.sync?.revision?.slice(0, 12) ?? '?'}, ${
      s?.health?.status ?? 'Unknown'
    }`,
    data: {
      syncStatus: s?.sync?.status,
      revision: s?.sync?.revision,
      health: s?.health?.status,
      autoSync: isAutoSync(app),
    },
  };
}

/** Step `diff`: what the sync will change, captured into the change record (Secret values redacted). */
export async function diffStep(ctx: StepContext): Promise<StepOutcome> {
  const { target } = ctx;
  const res = await ctx.services.argo.getManagedResources(
    target.instance,
    target.application,
    {
      project: target.project,
      appNamespace: target.appNamespace,
    },
  );
  const diffs = (res.items ?? [])
    .map(toResourceDiff)
    .filter(d => d.change !== 'none');
  let budget = MAX_DIFF_CHARS;
  const resources = diffs.map(d => {
    const text =
      d.diff.length <= budget
        ? d.diff
        : `${d.diff.slice(0, Math.max(0, budget))}\n… (truncated)`;
    budget = Math.max(0, budget - d.diff.length);
    return {
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      change: d.change,
      diff: text,
    };
  });
  return {
    kind: 'done',
    message: diffs.length
      ? `${diffs.length} resource(s) will change: ${diffs
          .map(d => `${d.kind}/${d.name} (${d.change})`)
          .join(', ')}`
      : 'no resource differs from Git',
    data: { resources },
  };
}

/**
 * Step `disable-auto-sync` (Argo CD history rollback only): Argo CD refuses a
 * rollback while auto-sync is on. Turn it off only when the policy allows,
 * and record what it was.
 */
export async function disableAutoSyncStep(
  ctx: StepContext,
): Promise<StepOutcome> {
  const app = await readApp(ctx);
  if (!isAutoSync(app)) {
    return {
      kind: 'done',
      message: 'auto-sync is off',
      data: { changed: false },
    };
  }
  if (!ctx.target.allowDisableAutoSync) {
    return {
      kind: 'fail',
      message:
        'Argo CD refuses this rollback: "rollback cannot be initiated when auto-sync is enabled", and the policy does not allow turning auto-sync off (rollback.allowDisableAutoSync); roll back through Git instead',
    };
  }
  const previous = app.spec.syncPolicy?.automated;
  await ctx.services.argo.patchApplication(
    ctx.target.instance,
    ctx.target.application,
    {
      patch: JSON.stringify({ spec: { syncPolicy: { automated: null } } }),
      patchType: 'merge',
      project: ctx.target.project,
      appNamespace: ctx.target.appNamespace,
    },
  );
  return {
    kind: 'done',
    message: `turned auto-sync off on ${
      ctx.target.application
    } for the rollback (was ${JSON.stringify(
      previous,
    )}); turn it back on once Git is fixed`,
    data: { changed: true, previous },
  };
}

/** Step `recheck`: the policy once more, right before the sync (approvals, windows, gates). */
export async function recheckStep(ctx: StepContext): Promise<StepOutcome> {
  const now = ctx.services.clock.now();
  const r = await ctx.services.policy.recheck(ctx.change, now, {
    entity: ctx.target.entity,
  });
  if (r.outcome === 'allow') {
    return {
      kind: 'done',
      message: 'policy allows the change now',
      data: { checks: r.checks },
    };
  }
  if (r.outcome === 'wait') {
    return {
      kind: 'wait',
      message: r.message,
      runAfter: r.runAfter,
      checks: r.checks,
    };
  }
  return {
    kind: 'fail',
    message: `policy refused the change at execution: ${r.message}`,
    checks: r.checks,
    rollbackOffered: wroteSomething(ctx),
  };
}
