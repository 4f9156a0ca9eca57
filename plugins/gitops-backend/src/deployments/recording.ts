import { ArgoApplication } from '../argocd/types';

/**
 * The Argo CD history row a finished sync produced: the newest row whose
 * revision (or one of its revisions) is the synced revision and that was
 * deployed at or after the sync started. Pure.
 *
 * @internal
 */
export function historyIdOf(
  app: ArgoApplication,
  syncedRevision: string | undefined,
  startedAt?: Date,
): number | undefined {
  const since = startedAt ? startedAt.getTime() - 1000 : -Infinity;
  let best: { id: number; t: number } | undefined;
  for (const h of app.status?.history ?? []) {
    const revs = [h.revision, ...(h.revisions ?? [])].filter(Boolean);
    if (syncedRevision && !revs.includes(syncedRevision)) continue;
    const t = h.deployedAt ? Date.parse(h.deployedAt) : NaN;
    if (!Number.isNaN(t) && t < since) continue;
    const id = Number(h.id);
    if (Number.isNaN(id)) continue;
    if (!best || id > best.id) best = { id, t };
  }
  return best?.id;
}
