import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import { collecting, ConfigProblems } from '../config/errors';

/** Default TTL of cached reads. */
export const DEFAULT_CACHE_TTL_MS = 5_000;

/** Reads `gitops.cache.ttl` (a duration; `0s` disables caching). @public */
export function readCacheTtlMs(
  config: Config,
  problems?: ConfigProblems,
): number {
  return collecting(problems, p => {
    if (!config.has('gitops.cache.ttl')) return DEFAULT_CACHE_TTL_MS;
    const ms = p.attempt('gitops.cache.ttl', () =>
      readDurationMs(config, 'gitops.cache.ttl', ''),
    );
    if (ms === undefined) return DEFAULT_CACHE_TTL_MS;
    if (!(ms >= 0)) {
      p.add('gitops.cache.ttl', 'must not be negative');
      return DEFAULT_CACHE_TTL_MS;
    }
    return ms;
  });
}

/** Default of `gitops.cache.entityTtl` (the TechDocs backend reuses an entity read for 5 s too). */
export const DEFAULT_ENTITY_TTL_MS = 5_000;

/** Reads `gitops.cache.entityTtl`: how long a caller's entity read is reused by the read routes (`0s` off). @internal */
export function readEntityTtlMs(
  config: Config,
  problems?: ConfigProblems,
): number {
  const key = 'gitops.cache.entityTtl';
  return collecting(problems, p => {
    if (!config.has(key)) return DEFAULT_ENTITY_TTL_MS;
    const ms = p.attempt(key, () => readDurationMs(config, key, ''));
    if (ms === undefined) return DEFAULT_ENTITY_TTL_MS;
    if (!(ms >= 0)) {
      p.add(key, 'must not be negative');
      return DEFAULT_ENTITY_TTL_MS;
    }
    return ms;
  });
}
