import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { GitopsConfigError } from '../argocd/config';

/** Default TTL of cached reads. */
export const DEFAULT_CACHE_TTL_MS = 5_000;

/** Reads `gitops.cache.ttl` (a duration; `0s` disables caching). @public */
export function readCacheTtlMs(config: Config): number {
  if (!config.has('gitops.cache.ttl')) return DEFAULT_CACHE_TTL_MS;
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: 'gitops.cache.ttl' }),
  );
  if (!(ms >= 0)) {
    throw new GitopsConfigError('gitops.cache.ttl', 'must not be negative');
  }
  return ms;
}
