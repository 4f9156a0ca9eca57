import {
  EnvironmentApplication,
  EnvironmentError,
  EnvironmentState,
  GITOPS_CHANGE_INFO_NAME,
  HealthStatusCode,
  OperationSummary,
  SyncStatusCode,
  VersionIdentity,
} from '@internal/plugin-gitops-common';
import semver from 'semver';
import { ArgoApplication, ArgoRevisionHistory } from '../argocd/types';
import { healthyStart } from '../deployments/HealthObservationStore';
import { identifyVersion } from '../deployments/versionIdentity';

const HEALTH: HealthStatusCode[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];
const SYNC: SyncStatusCode[] = ['Synced', 'OutOfSync', 'Unknown'];

/** Tag of an image reference (`registry:5000/x:v1` → `v1`), ignoring digests. */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(colon + 1) : undefined;
}

/** Whether a tag is a semantic version (with or without a leading `v`). */
export function isSemverTag(tag: string | undefined): tag is string {
  return (
    !!tag && semver.valid(tag.replace(/^v/, '')) !== null && /^v?\d/.test(tag)
  );
}

function initiator(
  by: { username?: string; automated?: boolean } | undefined,
): string | undefined {
  if (!by) return undefined;
  if (by.automated) return 'automated';
  return by.username || undefined;
}

/** The latest history entry (highest id). */
export function latestHistory(
  history: ArgoRevisionHistory[] | undefined,
): ArgoRevisionHistory | undefined {
  let best: ArgoRevisionHistory | undefined;
  for (const h of history ?? []) {
    if (!best || Number(h.id) > Number(best.id)) best = h;
  }
  return best;
}

/** The operation an app is running (or ran last). */
export function operationOf(
  app: ArgoApplication,
): OperationSummary | undefined {
  const state = app.status?.operationState;
  const pending = app.operation;
  const op = pending ?? state?.operation;
  if (!state && !pending) return undefined;
  // A pending `operation` with no (or a finished, older) state is about to run.
  const phase =
    pending &&
    (!state ||
      state.phase === 'Succeeded' ||
      state.phase === 'Failed' ||
      state.phase === 'Error')
      ? 'Running'
      : state!.phase;
  const info = op?.info ?? [];
  const changeId = info.find(i => i.name === GITOPS_CHANGE_INFO_NAME)?.value;
  return {
    phase,
    message:
      pending && phase === 'Running' && !state?.message
        ? undefined
        : state?.message,
    startedAt: state?.startedAt,
    finishedAt:
      phase === 'Running' || phase === 'Terminating'
        ? undefined
        : state?.finishedAt,
    initiatedBy: initiator(op?.initiatedBy),
    changeId,
    dryRun: op?.sync?.dryRun || undefined,
    revision:
      op?.sync?.revision ??
      op?.sync?.revisions?.[0] ??
      state?.syncResult?.revision,
  };
}

/**
 * Link to an application in Argo CD's UI. Argo CD takes the namespace from
 * the path (`/applications/<namespace>/<name>`), which also works for apps in
 * the control-plane namespace; without a namespace, `/applications/<name>`.
 */
export function argoCdAppUrl(
  externalUrl: string,
  name: string,
  namespace?: string,
): string {
  const base = externalUrl.replace(/\/+$/, '');
  return namespace
    ? `${base}/applications/${encodeURIComponent(
        namespace,
      )}/${encodeURIComponent(name)}`
    : `${base}/applications/${encodeURIComponent(name)}`;
}

/** Whether automated sync is on (Argo CD ≥ 3.1 honours `automated.enabled: false`). */
export function isAutoSync(app: ArgoApplication): boolean {
  const a = app.spec.syncPolicy?.automated;
  return !!a && a.enabled !== false;
}

/** The application part of an environment. */
export function toEnvironmentApplication(
  app: ArgoApplication,
  instance: string,
  url: string,
): EnvironmentApplication {
  const src = app.spec.source ?? app.spec.sources?.[0];
  return {
    name: app.metadata.name,
    namespace: app.metadata.namespace,
    project: app.spec.project,
    instance,
    url,
    autoSync: isAutoSync(app),
    source: src
      ? {
          repoURL: src.repoURL,
          path: src.path,
          chart: src.chart,
          targetRevision: src.targetRevision,
        }
      : undefined,
  };
}

/** Maps an Argo CD application to the tab's environment state. Pure. */
export function toEnvironmentState(
  base: Pick<EnvironmentState, 'name' | 'order' | 'promotesFrom'>,
  app: ArgoApplication,
  instance: string,
  url: string,
  identity?: VersionIdentity,
  now: Date = new Date(),
): EnvironmentState {
  const status = app.status ?? {};
  const images = status.summary?.images ?? [];
  const src = app.spec.source ?? app.spec.sources?.[0];
  const last = latestHistory(status.history);
  const versionIdentity =
    identity ??
    identifyVersion({
      images,
      helmParameter: src?.helm?.parameters?.find(p => p.name === 'image.tag'),
    });
  const health = status.health?.status;
  const sync = status.sync?.status;
  return {
    ...base,
    application: toEnvironmentApplication(app, instance, url),
    syncStatus: syncStatusOf(sync),
    revision: status.sync?.revision ?? status.sync?.revisions?.[0],
    health: health
      ? {
          status: HEALTH.includes(health as HealthStatusCode)
            ? (health as HealthStatusCode)
            : 'Unknown',
          message: status.health?.message,
        }
      : undefined,
    operation: operationOf(app),
    version: versionIdentity.version,
    versionIdentity,
    images,
    lastDeployedAt: last?.deployedAt,
    lastDeployedBy: initiator(last?.initiatedBy),
    ...healthySinceOf(app, last, now),
    conditions: (status.conditions ?? []).map(c => ({
      type: c.type,
      message: c.message,
      lastTransitionTime: c.lastTransitionTime,
    })),
    unhealthyResources: (status.resources ?? []).filter(
      r => r.health?.status === 'Degraded' || r.health?.status === 'Missing',
    ).length,
  };
}

/** Start of the current Healthy period (Argo CD's transition, not before the deploy). */
function healthySinceOf(
  app: ArgoApplication,
  last: ArgoRevisionHistory | undefined,
  now: Date,
): { healthySince?: string } {
  const h = app.status?.health;
  if (h?.status !== 'Healthy') return {};
  const t = healthyStart({
    deployedAt: last?.deployedAt ? new Date(last.deployedAt) : undefined,
    healthTransitionAt: h.lastTransitionTime
      ? new Date(h.lastTransitionTime)
      : undefined,
    now,
  });
  return h.lastTransitionTime || last?.deployedAt
    ? { healthySince: t.toISOString() }
    : {};
}

function syncStatusOf(sync: string | undefined): SyncStatusCode | undefined {
  if (!sync) return undefined;
  return SYNC.includes(sync as SyncStatusCode)
    ? (sync as SyncStatusCode)
    : 'Unknown';
}

/** An environment that could not be read. */
export function errorEnvironment(
  base: Pick<EnvironmentState, 'name' | 'order' | 'promotesFrom'>,
  error: EnvironmentError,
): EnvironmentState {
  return { ...base, images: [], conditions: [], unhealthyResources: 0, error };
}

/** Converts any error to the public error object (never credentials: messages are already redacted). */
export function toEnvironmentError(
  e: unknown,
  instance?: string,
): EnvironmentError {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    name: err.name === 'Error' ? 'ServiceUnavailableError' : err.name,
    message: err.message,
    instance,
  };
}
