import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import { collecting, ConfigProblems } from '../config/errors';

/** Default time to live of a cached overview part. @internal */
export const DEFAULT_OVERVIEW_TTL_MS = 10_000;

const KEY = 'gitops.cache.overviewTtl';

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
  return collecting(problems, p => {
    if (!config.has(KEY)) return DEFAULT_OVERVIEW_TTL_MS;
    const ms = p.attempt(KEY, () => readDurationMs(config, KEY, ''));
    if (ms === undefined) return DEFAULT_OVERVIEW_TTL_MS;
    if (!(ms >= 0)) {
      p.add(KEY, 'must not be negative');
      return DEFAULT_OVERVIEW_TTL_MS;
    }
    return ms;
  });
}
