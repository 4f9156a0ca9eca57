import { CommitInfo, HistoryEntry } from '@internal/plugin-gitops-common';
import { ArgoApplication, ArgoRevisionHistory } from '../argocd/types';
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

/** Maps one Argo CD history row (with its commit, when known). Pure. */
export function toArgoHistoryEntry(
  h: ArgoRevisionHistory,
  commit: CommitInfo | undefined,
  url: string | undefined,
): HistoryEntry {
  const src = h.source ?? h.sources?.[0];
  // Tags may carry a path prefix, e.g. `python-api-base-prod/v1.1.4`.
  const tagFromCommit = commit?.tags
    ?.map(t => t.slice(t.lastIndexOf('/') + 1))
    .find(t => isSemverTag(t));
  const tagFromParams = src?.helm?.parameters?.find(
    p => /(^|\.)(tag|imageTag|version)$/i.test(p.name) && isSemverTag(p.value),
  )?.value;
  const chartVersion =
    src?.chart && isSemverTag(h.revision) ? h.revision : undefined;
  return {
    source: 'argocd',
    id: String(h.id),
    revision: h.revision ?? h.revisions?.[0],
    version: tagFromCommit ?? tagFromParams ?? chartVersion,
    deployedAt: h.deployedAt,
    deployStartedAt: h.deployStartedAt,
    initiatedBy: h.initiatedBy?.automated
      ? 'automated'
      : h.initiatedBy?.username || undefined,
    commit,
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
