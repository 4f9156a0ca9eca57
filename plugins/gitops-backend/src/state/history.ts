import {
  CommitInfo,
  HistoryEntry,
  HistorySourceRevision,
  VersionIdentity,
} from '@internal/plugin-gitops-common';
import { ArgoApplication, ArgoRevisionHistory } from '../argocd/types';
import { DeploymentRecord } from '../deployments/DeploymentStore';
import { HealthObservation } from '../deployments/HealthObservationStore';
import { identifyVersion, tagsForApp } from '../deployments/versionIdentity';
import { HelmRelease } from '../helm/decodeRelease';
import { isSemverTag } from './mapApplication';

/** Most history rows returned per environment. */
export const MAX_HISTORY_ROWS = 20;
/** Most commit metadata lookups per history request (newest rows first). */
export const MAX_COMMIT_LOOKUPS = 10;

/** Whether a history revision is a git commit (Helm chart versions are not). */
export function isCommitRevision(h: ArgoRevisionHistory): boolean {
  const src = h.source ?? h.sources?.[0];
  if (src?.chart) return false;
  return !!h.revision && /^[0-9a-f]{7,64}$/i.test(h.revision);
}

/** Argo CD history rows of an app, newest first, bounded. */
export function argoHistoryRows(app: ArgoApplication): ArgoRevisionHistory[] {
  return [...(app.status?.history ?? [])]
    .sort((a, b) => Number(b.id) - Number(a.id))
    .slice(0, MAX_HISTORY_ROWS);
}

/** What is known about a history row besides Argo CD's own fields. @internal */
export interface HistoryRowContext {
  /** Version identity (from {@link DeploymentService.joinHistory}). */
  identity?: VersionIdentity;
  /** Our record of the deployment, when it was ours. */
  record?: DeploymentRecord;
  /** Health seen for the deployment (whoever made it). */
  observation?: HealthObservation;
  /** Who deployed (our requester, else Argo CD's initiator). */
  deployedBy?: string;
  /** Multi-source apps: each source with its revision and commit. */
  sources?: HistorySourceRevision[];
  /** Names whose prefixed tags (`<name>/v1.2.3`) speak for this app. */
  appNames?: string[];
}

/** Sources of a history row with their revisions (multi-source apps only). Pure. */
export function historySources(
  h: ArgoRevisionHistory,
  commits: Array<CommitInfo | undefined> = [],
): HistorySourceRevision[] | undefined {
  if (!h.sources?.length) return undefined;
  return h.sources.map((s, index) => ({
    index,
    repoURL: s.repoURL,
    ...(s.path ? { path: s.path } : {}),
    ...(s.chart ? { chart: s.chart } : {}),
    revision: h.revisions?.[index],
    ...(commits[index] ? { commit: commits[index] } : {}),
  }));
}

/** Whether source `i` of a row is a git source with a commit revision. */
export function isCommitSource(h: ArgoRevisionHistory, i: number): boolean {
  const src = h.sources?.[i];
  const rev = h.revisions?.[i];
  return !!src && !src.chart && !!rev && /^[0-9a-f]{7,64}$/i.test(rev);
}

/** Maps one Argo CD history row (with its commit, when known). Pure. */
export function toArgoHistoryEntry(
  h: ArgoRevisionHistory,
  commit: CommitInfo | undefined,
  url: string | undefined,
  context: HistoryRowContext = {},
): HistoryEntry {
  const src = h.source ?? h.sources?.[0];
  const identity =
    context.identity ??
    identifyVersion({
      helmParameter: src?.helm?.parameters?.find(p => p.name === 'image.tag'),
      tags: tagsForApp(commit?.tags, context.appNames ?? []),
      chartVersion:
        src?.chart && isSemverTag(h.revision) ? h.revision : undefined,
    });
  const initiatedBy = h.initiatedBy?.automated
    ? 'automated'
    : h.initiatedBy?.username || undefined;
  const r = context.record;
  const o = context.observation;
  const healthySince = r?.healthySince ?? o?.healthySince;
  const degradedAt =
    o?.degradedAt ?? (r?.outcome === 'degraded' ? r.finishedAt : undefined);
  return {
    source: 'argocd',
    id: String(h.id),
    revision: h.revision ?? h.revisions?.[0],
    version: identity.version,
    versionIdentity: identity,
    deployedAt: h.deployedAt,
    deployStartedAt: h.deployStartedAt,
    initiatedBy,
    deployedBy: context.deployedBy ?? r?.requestedBy ?? initiatedBy,
    ...(r ? { changeId: r.changeId, approvedBy: r.approvers } : {}),
    ...(healthySince ? { healthySince: healthySince.toISOString() } : {}),
    ...(degradedAt ? { degradedAt: degradedAt.toISOString() } : {}),
    commit,
    ...(context.sources ? { sources: context.sources } : {}),
    url,
  };
}

/** Maps one Helm release revision. Values are not part of `HelmRelease`. Pure. */
export function toHelmHistoryEntry(r: HelmRelease): HistoryEntry {
  return {
    source: 'helm',
    id: String(r.revision),
    revision: r.chartVersion,
    version: isSemverTag(r.appVersion) ? r.appVersion : undefined,
    deployedAt: r.lastDeployed,
    helm: {
      release: r.name,
      namespace: r.namespace,
      chart: r.chart,
      chartVersion: r.chartVersion,
      appVersion: r.appVersion,
      status: r.status,
      description: r.description,
    },
  };
}

/** Merges rows newest first (rows without a date last). Pure. */
export function mergeHistory(rows: HistoryEntry[]): HistoryEntry[] {
  const t = (e: HistoryEntry) =>
    e.deployedAt ? Date.parse(e.deployedAt) : -Infinity;
  return [...rows].sort((a, b) => t(b) - t(a));
}
