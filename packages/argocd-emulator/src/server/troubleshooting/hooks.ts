/**
 * A failing PreSync hook (pure): a sync whose target runs an image tag
 * containing `hookfail` runs its `<app>-db-migrate` PreSync Job first, the
 * Job fails, and the Sync phase never starts, as in Argo CD: the operation
 * ends `Failed` with the hook's result (and nothing applied).
 */
import { imagesOf } from '../../logic/compare';
import { tagOfImage } from '../../logic/syncPlan';
import type { KubeObject, ResourceResult } from '../../logic/types';

/** Tags whose PreSync hook fails. @public */
export function isHookFailTag(tag: string): boolean {
  return tag.includes('hookfail');
}

/** A hook's result (`v1alpha1ResourceResult` with `hookType`). @public */
export type HookResult = ResourceResult & { hookType: string };

/** The failing hook's result and the operation message, or undefined when hooks pass. */
export function failingHook(
  appName: string,
  target: KubeObject[],
  dryRun: boolean,
): { message: string; results: HookResult[] } | undefined {
  if (dryRun) return undefined;
  const images = imagesOf(target);
  if (!images.some(i => isHookFailTag(tagOfImage(i)))) return undefined;
  const namespace =
    target.find(t => t.kind === 'Deployment')?.metadata.namespace ?? '';
  return {
    message:
      'one or more synchronization tasks completed unsuccessfully, reason: Job has reached the specified backoff limit',
    results: [
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace,
        name: `${appName}-db-migrate`,
        status: 'Synced',
        message: 'Job has reached the specified backoff limit',
        hookType: 'PreSync',
        hookPhase: 'Failed',
        syncPhase: 'PreSync',
        images: images.slice(0, 1),
      },
    ],
  };
}

/** Tags whose PostSync smoke test fails. @public */
export function isSmokeFailTag(tag: string): boolean {
  return tag.includes('smokefail');
}

/**
 * The PostSync hooks of a successful sync (pure): each hook Job of the chart
 * runs after the Sync phase and ends `Succeeded`, or `Failed` when the app's
 * image tag contains `smokefail`; a failed hook fails the operation, as in
 * Argo CD (the resources stay applied).
 */
export function runPostSyncHooks(
  hooks: KubeObject[],
  target: KubeObject[],
): { results: HookResult[]; failed?: string } {
  const images = imagesOf(target);
  const fails = images.some(i => isSmokeFailTag(tagOfImage(i)));
  const results: HookResult[] = hooks
    .filter(
      h => h.metadata.annotations?.['argocd.argoproj.io/hook'] === 'PostSync',
    )
    .map(h => {
      const [group, version] = h.apiVersion.includes('/')
        ? h.apiVersion.split('/')
        : ['', h.apiVersion];
      return {
        group,
        version,
        kind: h.kind,
        namespace: h.metadata.namespace ?? '',
        name: h.metadata.name,
        status: 'Synced',
        message: fails
          ? 'Job has reached the specified backoff limit'
          : 'Reached expected number of succeeded pods',
        hookType: 'PostSync',
        hookPhase: fails ? 'Failed' : 'Succeeded',
        syncPhase: 'PostSync',
        images: images.slice(0, 1),
      };
    });
  return {
    results,
    ...(fails && results.length
      ? {
          failed:
            'one or more synchronization tasks completed unsuccessfully, reason: Job has reached the specified backoff limit',
        }
      : {}),
  };
}
