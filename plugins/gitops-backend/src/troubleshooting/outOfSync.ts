import {
  OutOfSyncCause,
  OutOfSyncReport,
  OutOfSyncResource,
} from '@internal/plugin-gitops-common';
import { ArgoApplication, ArgoResourceDiff } from '../argocd/types';
import { toResourceDiff } from '../state/resourceDiff';
import { resourceId } from './tree';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function parse(s: string | undefined): any {
  if (!s || s === 'null') return undefined;
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Canonical JSON without status, server-set metadata and the last-applied copy. */
function canonical(obj: any): string {
  const copy = structuredClone(obj);
  delete copy.status;
  if (copy.metadata) {
    for (const k of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'generation',
      'managedFields',
      'selfLink',
    ])
      delete copy.metadata[k];
    if (copy.metadata.annotations) {
      delete copy.metadata.annotations[LAST_APPLIED];
      delete copy.metadata.annotations['deployment.kubernetes.io/revision'];
      if (!Object.keys(copy.metadata.annotations).length)
        delete copy.metadata.annotations;
    }
  }
  const sort = (v: any): any => {
    if (Array.isArray(v)) return v.map(sort);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, sort(v[k])]),
    );
  };
  return JSON.stringify(sort(copy));
}

/** Every `image` of the object's pod template(s), in order. */
export function imagesIn(obj: any): string[] {
  const out: string[] = [];
  const walk = (v: any, key?: string) => {
    if (typeof v === 'string' && key === 'image') out.push(v);
    else if (Array.isArray(v)) v.forEach(x => walk(x));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) if (k !== 'status') walk(x, k);
  };
  walk(obj?.spec);
  return out;
}

function tagOf(image: string): string {
  const at = image.indexOf('@');
  if (at >= 0) return image.slice(at + 1);
  const i = image.lastIndexOf(':');
  return i >= 0 && !image.slice(i).includes('/')
    ? image.slice(i + 1)
    : 'latest';
}

function imageChange(from: string[], to: string[]): string | undefined {
  const changes: string[] = [];
  for (let i = 0; i < Math.max(from.length, to.length); i++) {
    if (from[i] !== to[i] && from[i] && to[i])
      changes.push(`${tagOf(from[i])} → ${tagOf(to[i])}`);
  }
  return changes.length ? changes.join(', ') : undefined;
}

function short(rev?: string): string {
  return rev && /^[0-9a-f]{40}$/.test(rev) ? rev.slice(0, 7) : rev ?? '';
}

/**
 * Names the likely cause of each out-of-sync resource. Pure.
 *
 * - in Git, not in the cluster → `missing`; in the cluster, not in Git → `extra`;
 * - the live object carries what Argo CD last applied
 *   (`kubectl.kubernetes.io/last-applied-configuration`): the target still
 *   equals it → `changed-in-cluster`; it does not → Git changed
 *   (`new-image-tag` when an image differs, else `target-changed`);
 * - without that annotation, the revisions decide: the target revision is the
 *   one last synced → `changed-in-cluster`; another one → Git changed;
 *   nothing known → `unknown`.
 */
export function explainOutOfSync(
  app: ArgoApplication,
  items: ArgoResourceDiff[],
): OutOfSyncReport {
  const targetRevision = app.status?.sync?.revision;
  const syncedRevision =
    app.status?.operationState?.phase === 'Succeeded'
      ? app.status.operationState.syncResult?.revision
      : app.status?.history?.[app.status.history.length - 1]?.revision ??
        undefined;
  const statusById = new Map(
    (app.status?.resources ?? []).map(r => [resourceId(r), r]),
  );
  const out: OutOfSyncResource[] = [];
  for (const item of items) {
    if (item.hook) continue;
    const diff = toResourceDiff(item);
    const st = statusById.get(resourceId(item));
    const outOfSync = st ? st.status === 'OutOfSync' : diff.change !== 'none';
    if (!outOfSync) continue;
    const live = parse(item.liveState);
    const target = parse(item.targetState);
    let cause: OutOfSyncCause;
    let explanation: string;
    if (!live && target) {
      cause = 'missing';
      explanation = `${item.kind} ${item.name} is in Git but not in the cluster`;
    } else if (live && !target) {
      cause = 'extra';
      explanation = `${item.kind} ${item.name} is in the cluster but not in Git any more (it needs pruning)`;
    } else if (live && target) {
      const lastApplied = parse(live.metadata?.annotations?.[LAST_APPLIED]);
      const liveImages = imagesIn(live);
      const targetImages = imagesIn(target);
      let gitChanged: boolean | undefined;
      let gitFrom: string[] = liveImages;
      if (lastApplied) {
        gitChanged = canonical(lastApplied) !== canonical(target);
        gitFrom = imagesIn(lastApplied);
      } else if (targetRevision && syncedRevision) {
        gitChanged = targetRevision !== syncedRevision;
      }
      if (gitChanged === true) {
        const tags = imageChange(gitFrom, targetImages);
        const at = targetRevision ? ` (revision ${short(targetRevision)})` : '';
        if (tags) {
          cause = 'new-image-tag';
          explanation = `Image tag ${tags} in Git${at}, not applied yet`;
        } else {
          cause = 'target-changed';
          explanation = `The target changed in Git${at} (Helm values or manifests) since the last sync`;
        }
      } else if (gitChanged === false) {
        cause = 'changed-in-cluster';
        const tags = imageChange(targetImages, liveImages);
        explanation = `Live ${
          item.kind
        } differs from what Argo CD last applied: it was changed in the cluster${
          tags ? ` (image ${tags})` : ''
        }; Git did not change`;
      } else {
        cause = 'unknown';
        explanation = `Live ${item.kind} differs from Git; Argo CD's answer does not tell whether Git or the cluster changed`;
      }
    } else {
      continue;
    }
    out.push({
      ...(item.group ? { group: item.group } : {}),
      kind: item.kind,
      ...(item.namespace ? { namespace: item.namespace } : {}),
      name: item.name,
      cause,
      explanation,
      diff: diff.diff,
    });
  }
  return {
    syncStatus: app.status?.sync?.status,
    ...(targetRevision ? { targetRevision } : {}),
    ...(syncedRevision ? { syncedRevision } : {}),
    items: out,
  };
}
