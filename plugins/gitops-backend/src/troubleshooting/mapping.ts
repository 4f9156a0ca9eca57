import {
  LastOperation,
  ResourceEvent,
  ResourceEvents,
  SyncResourceResult,
} from '@internal/plugin-gitops-common';
import { ArgoEventList } from '../argocd/troubleshootingCalls';
import { ArgoApplication } from '../argocd/types';

const FAILED_HOOK_PHASES = new Set(['Failed', 'Error']);

/** The application's last operation (phase, message, per-resource results incl. hooks) and conditions. Pure. */
export function toLastOperation(app: ArgoApplication): LastOperation {
  const os = app.status?.operationState;
  const conditions = (app.status?.conditions ?? []).map(c => ({
    type: c.type,
    message: c.message,
    ...(c.lastTransitionTime
      ? { lastTransitionTime: c.lastTransitionTime }
      : {}),
  }));
  if (!os) return { conditions };
  const results: SyncResourceResult[] = (os.syncResult?.resources ?? []).map(
    r => ({
      ...(r.group ? { group: r.group } : {}),
      kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
      ...(r.status ? { status: r.status } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(r.hookType ? { hookType: r.hookType } : {}),
      ...(r.hookPhase ? { hookPhase: r.hookPhase } : {}),
      ...(r.syncPhase ? { syncPhase: r.syncPhase } : {}),
      failed:
        r.status === 'SyncFailed' ||
        (!!r.hookType && FAILED_HOOK_PHASES.has(r.hookPhase ?? '')),
    }),
  );
  // Failures first (hooks before resources), then the rest in Argo CD's order.
  results.sort((a, b) => Number(b.failed) - Number(a.failed));
  const initiatedBy = os.operation?.initiatedBy;
  return {
    operation: {
      phase: os.phase,
      ...(os.message ? { message: os.message } : {}),
      ...(os.startedAt ? { startedAt: os.startedAt } : {}),
      ...(os.finishedAt ? { finishedAt: os.finishedAt } : {}),
      ...(os.syncResult?.revision ? { revision: os.syncResult.revision } : {}),
      ...(initiatedBy?.username ? { initiatedBy: initiatedBy.username } : {}),
      ...(initiatedBy?.automated ? { automated: true } : {}),
      results,
    },
    conditions,
  };
}

/** Events newest first. Pure. */
export function toResourceEvents(list: ArgoEventList): ResourceEvents {
  const items: ResourceEvent[] = (list.items ?? []).map(e => ({
    type: e.type ?? 'Normal',
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.message ? { message: e.message } : {}),
    ...(e.count !== undefined ? { count: e.count } : {}),
    ...(e.firstTimestamp ?? e.eventTime
      ? { firstTimestamp: e.firstTimestamp ?? e.eventTime }
      : {}),
    ...(e.lastTimestamp ?? e.eventTime
      ? { lastTimestamp: e.lastTimestamp ?? e.eventTime }
      : {}),
    involvedObject: {
      ...(e.involvedObject?.kind ? { kind: e.involvedObject.kind } : {}),
      ...(e.involvedObject?.name ? { name: e.involvedObject.name } : {}),
      ...(e.involvedObject?.namespace
        ? { namespace: e.involvedObject.namespace }
        : {}),
      ...(e.involvedObject?.uid ? { uid: e.involvedObject.uid } : {}),
    },
    ...(e.source?.component ?? e.reportingComponent
      ? { source: e.source?.component ?? e.reportingComponent }
      : {}),
  }));
  items.sort((a, b) =>
    (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
  );
  return { items };
}
