import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import { collecting, ConfigProblems } from '../config/errors';

/** Default TTL of cached reads. */
export const DEFAULT_CACHE_TTL_MS = 5_000;

/** Default of `gitops.cache.entityTtl` (the TechDocs backend reuses an entity read for 5 s too). */
export const DEFAULT_ENTITY_TTL_MS = 5_000;

/**
 * Reads a time to live at `key`: a duration, `0s` meaning off, `fallback` when
 * absent; a bad or negative value is a problem naming the key (collected with
 * the others when `problems` is given, else thrown). @internal
 */
export function readTtlMs(
  config: Config,
  key: string,
  fallback: number,
  problems?: ConfigProblems,
): number {
  return collecting(problems, p => {
    if (!config.has(key)) return fallback;
    const ms = p.attempt(key, () => readDurationMs(config, key, ''));
    if (ms === undefined) return fallback;
    if (!(ms >= 0)) {
      p.add(key, 'must not be negative');
      return fallback;
    }
    return ms;
  });
}

/** Reads `gitops.cache.ttl` (a duration; `0s` disables caching). @public */
export function readCacheTtlMs(
  config: Config,
  problems?: ConfigProblems,
): number {
  return readTtlMs(config, 'gitops.cache.ttl', DEFAULT_CACHE_TTL_MS, problems);
}

/** Reads `gitops.cache.entityTtl`: how long a caller's entity read is reused by the read routes (`0s` off). @internal */
export function readEntityTtlMs(
  config: Config,
  problems?: ConfigProblems,
): number {
  return readTtlMs(
    config,
    'gitops.cache.entityTtl',
    DEFAULT_ENTITY_TTL_MS,
    problems,
  );
}
