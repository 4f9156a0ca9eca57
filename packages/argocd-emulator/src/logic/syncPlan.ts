/**
 * What a sync operation does to a set of resources (pure): which target objects
 * it applies (partial syncs), the per-resource results with Argo CD's messages,
 * what it prunes, and whether it fails.
 */
import { compareResources, groupOf, imagesOf, resourceKey } from './compare';
import type { KubeObject, ResourceResult, SyncOperation } from './types';

/** Image tag of an image reference (`latest` when none). @public */
export function tagOfImage(image: string): string {
  const i = image.lastIndexOf(':');
  return i >= 0 && !image.slice(i).includes('/')
    ? image.slice(i + 1)
    : 'latest';
}

/** Input of {@link planSync}. @public */
export interface SyncPlanInput {
  target: KubeObject[];
  live: KubeObject[];
  sync: SyncOperation;
  /** Image tags whose apply fails (the emulator's stand-in for a rejected object). */
  isSyncFailTag: (tag: string) => boolean;
}

/** Result of {@link planSync}. @public */
export interface SyncPlan {
  /** Target objects the sync applies. */
  selected: KubeObject[];
  results: ResourceResult[];
  /** Keys of live objects to delete (full syncs with prune only). */
  toPrune: string[];
  failing: boolean;
  partial: boolean;
}

/** Plans a sync. @public */
export function planSync({
  target,
  live,
  sync,
  isSyncFailTag,
}: SyncPlanInput): SyncPlan {
  const dry = !!sync.dryRun;
  const ssa = (sync.syncOptions ?? []).includes('ServerSideApply=true');
  let dryText = '';
  if (dry) dryText = ssa ? ' (server dry run)' : ' (dry run)';
  const partial = !!sync.resources?.length;
  const selected = partial
    ? target.filter(t =>
        sync.resources!.some(
          r =>
            (r.group ?? '') === groupOf(t.apiVersion) &&
            r.kind === t.kind &&
            r.name === t.metadata.name &&
            (!r.namespace || r.namespace === t.metadata.namespace),
        ),
      )
    : target;
  const comparisons = compareResources(
    selected,
    live.filter(
      l => !partial || selected.some(s => resourceKey(s) === resourceKey(l)),
    ),
  );
  const onlyOutOfSync = (sync.syncOptions ?? []).includes(
    'ApplyOutOfSyncOnly=true',
  );
  const images = imagesOf(selected);
  const failing = images.some(i => isSyncFailTag(tagOfImage(i)));
  const results: ResourceResult[] = [];
  const toPrune: string[] = [];
  for (const c of comparisons) {
    const base = {
      group: c.group,
      version: c.version,
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      syncPhase: 'Sync',
      hookPhase: 'Running',
    };
    const ref = `${c.kind.toLowerCase()}${c.group ? `.${c.group}` : ''}/${
      c.name
    }`;
    if (c.requiresPruning) {
      if (partial) continue;
      if (sync.prune) {
        toPrune.push(c.key);
        results.push({
          ...base,
          status: 'Pruned',
          message: `pruned${dry ? ' (dry run)' : ''}`,
        });
      } else {
        results.push({
          ...base,
          status: 'PruneSkipped',
          message: 'ignored (requires pruning)',
        });
      }
      continue;
    }
    if (onlyOutOfSync && c.status === 'Synced') continue;
    const resImages = imagesOf(c.target ? [c.target] : []);
    if (failing && c.kind === 'Deployment') {
      results.push({
        ...base,
        hookPhase: 'Failed',
        status: 'SyncFailed',
        message: `Deployment.apps "${
          c.name
        }" is invalid: spec.template.spec.containers[0].image: Invalid value: "${
          resImages[0] ?? ''
        }": rejected by admission webhook${dryText}`,
        ...(resImages.length ? { images: resImages } : {}),
      });
      continue;
    }
    let verb = c.status === 'Synced' ? 'unchanged' : 'configured';
    if (!c.live) verb = 'created';
    if (ssa) verb = 'serverside-applied';
    results.push({
      ...base,
      status: 'Synced',
      message: `${ref} ${verb}${dryText}`,
      ...(resImages.length ? { images: resImages } : {}),
    });
  }
  return { selected, results, toPrune, failing, partial };
}
