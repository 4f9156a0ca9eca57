import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import { collecting, ConfigProblems } from '../config/errors';
import { DEFAULT_MIRROR_CONFIG, MirrorConfig } from './types';

/**
 * Reads `gitops.mirror` (`enabled`, `backoff.initial`, `backoff.max`,
 * `resyncAfterFailures`, `relistInterval`, `projectsRefresh`); every problem names its key. @internal
 */
export function readMirrorConfig(
  config: Config,
  problems?: ConfigProblems,
): MirrorConfig {
  return collecting(problems, p => {
    const c = config.getOptionalConfig('gitops.mirror');
    if (!c) return { ...DEFAULT_MIRROR_CONFIG };
    const enabled =
      p.attempt('gitops.mirror.enabled', () =>
        c.getOptionalBoolean('enabled'),
      ) ?? DEFAULT_MIRROR_CONFIG.enabled;
    const duration = (key: string, fallback: number) => {
      if (!c.has(key)) return fallback;
      const ms = p.attempt(`gitops.mirror.${key}`, () =>
        readDurationMs(c, key, 'gitops.mirror'),
      );
      if (ms === undefined) return fallback;
      if (!(ms > 0)) {
        p.add(`gitops.mirror.${key}`, 'must be longer than 0');
        return fallback;
      }
      return ms;
    };
    const initialBackoffMs = duration(
      'backoff.initial',
      DEFAULT_MIRROR_CONFIG.initialBackoffMs,
    );
    const maxBackoffMs = duration(
      'backoff.max',
      DEFAULT_MIRROR_CONFIG.maxBackoffMs,
    );
    if (maxBackoffMs < initialBackoffMs) {
      p.add(
        'gitops.mirror.backoff.max',
        'must not be shorter than backoff.initial',
      );
    }
    let resyncAfterFailures = DEFAULT_MIRROR_CONFIG.resyncAfterFailures;
    if (c.has('resyncAfterFailures')) {
      const n = p.attempt('gitops.mirror.resyncAfterFailures', () =>
        c.getNumber('resyncAfterFailures'),
      );
      if (n !== undefined && (!Number.isInteger(n) || n < 1)) {
        p.add(
          'gitops.mirror.resyncAfterFailures',
          'must be a whole number of at least 1',
        );
      } else if (n !== undefined) {
        resyncAfterFailures = n;
      }
    }
    let relistIntervalMs = DEFAULT_MIRROR_CONFIG.relistIntervalMs;
    if (c.has('relistInterval')) {
      const ms = p.attempt('gitops.mirror.relistInterval', () =>
        readDurationMs(c, 'relistInterval', 'gitops.mirror'),
      );
      if (ms !== undefined && !(ms >= 0)) {
        p.add('gitops.mirror.relistInterval', 'must not be negative');
      } else if (ms !== undefined) {
        relistIntervalMs = ms;
      }
    }
    const projectsRefreshMs = duration(
      'projectsRefresh',
      DEFAULT_MIRROR_CONFIG.projectsRefreshMs!,
    );
    return {
      enabled,
      initialBackoffMs,
      maxBackoffMs,
      resyncAfterFailures,
      relistIntervalMs,
      projectsRefreshMs,
    };
  });
}
