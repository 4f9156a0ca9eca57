/**
 * Image tags the seed declares as never built (no image in the registry):
 * a rollout to one waits in `ImagePullBackOff` and ends Degraded, unlike a
 * broken tag (`setBrokenTags`), whose image runs and crash-loops. Any tag
 * containing `missing` is unbuilt too.
 */

/** @public */
export const UNBUILT_TAGS: readonly string[] = [
  'v9.9.9',
  'v2.0.0-missing',
  // a release candidate whose image build failed (staging accepts rc tags only)
  'v1.3.0-rc.9',
];

/** Whether an image tag was never built (see {@link UNBUILT_TAGS}). @public */
export function isUnbuiltTag(tag: string): boolean {
  return UNBUILT_TAGS.includes(tag) || tag.includes('missing');
}
