import { Config } from '@backstage/config';
import { readTtlMs } from '../cache/config';
import { ConfigProblems } from '../config/errors';

/** Default time to live of a cached overview part. @internal */
export const DEFAULT_OVERVIEW_TTL_MS = 10_000;

/**
 * Reads `gitops.cache.overviewTtl`: how long the tab's overview of an entity
 * is reused while nothing it is made of changed (a duration; `0s` builds it on
 * every request).
 *
 * @internal
 */
export function readOverviewTtlMs(
  config: Config,
  problems?: ConfigProblems,
): number {
  return readTtlMs(
    config,
    'gitops.cache.overviewTtl',
    DEFAULT_OVERVIEW_TTL_MS,
    problems,
  );
}
