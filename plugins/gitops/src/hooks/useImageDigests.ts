import { useEffect, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { ImageDigests } from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../api';

/**
 * Image digests of what an environment runs and ran (undefined while loading,
 * when the API has no image routes or the registry could not be read: the
 * digest is extra information, its absence is not an error). With `initial`
 * (the tab's overview already has them) nothing is fetched.
 */
export function useImageDigests(
  entity: CompoundEntityRef | undefined,
  env: string,
  /** Changes when what runs changes, so the digests are read again. */
  key?: string,
  /** Digests the caller already has; returned as they are, without a request. */
  initial?: ImageDigests,
): ImageDigests | undefined {
  const api = useApi(gitopsApiRef);
  const [digests, setDigests] = useState<ImageDigests>();
  const given = initial !== undefined;
  useEffect(() => {
    if (given || !entity || !api.getImageDigests) return undefined;
    let cancelled = false;
    api.getImageDigests(entity, env).then(
      d => !cancelled && setDigests(d),
      () => !cancelled && setDigests(undefined),
    );
    return () => {
      cancelled = true;
    };
  }, [api, entity, env, key, given]);
  return initial ?? digests;
}
