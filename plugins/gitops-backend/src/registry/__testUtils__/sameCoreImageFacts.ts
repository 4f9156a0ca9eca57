import crypto from 'crypto';
import { ImageFacts } from '../../policy/policyModel';
import { coreOf } from '../../policy/versions';

/** A digest per X.Y.Z: every tag of one version (dev, rc, release) shares it. */
export function coreDigest(tag: string): string {
  return `sha256:${crypto
    .createHash('sha256')
    .update(coreOf(tag) ?? tag)
    .digest('hex')}`;
}

/**
 * A fake of the policy's `getImageFacts` port for tests that are not about
 * images: every tag exists (except `missing`) and the tags of one X.Y.Z
 * share a digest, so `image-exists` and `same-digest` pass. The image checks
 * themselves are tested against a real registry (images/*.registry.test.ts).
 *
 * @internal
 */
export function sameCoreImageFacts(
  missing: string[] = [],
  repository = 'example.org/shop/python-api-base',
) {
  return async (
    _entity: unknown,
    _environment: string,
    tags: string[],
  ): Promise<ImageFacts> => ({
    repository,
    digests: Object.fromEntries(
      tags.map(t => [t, missing.includes(t) ? null : coreDigest(t)]),
    ),
  });
}
