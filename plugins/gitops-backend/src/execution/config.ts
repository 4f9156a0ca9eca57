import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { GitopsConfigError } from '../argocd/config';

/** `gitops.execution`: timings of change execution. @internal */
export interface ExecutionSettings {
  /** First poll interval while following an operation. */
  pollIntervalMs: number;
  /** Poll interval cap (the interval grows ×1.5 per poll). */
  maxPollIntervalMs: number;
  /** Waiting for another (foreign) operation to finish before ours. */
  busyTimeoutMs: number;
  /** A dry-run or sync operation must finish within this. */
  operationTimeoutMs: number;
  /** After the sync succeeded, the app must turn Healthy or Degraded within this. */
  healthTimeoutMs: number;
  /** Execution lease; renewed every quarter of it while running. */
  leaseMs: number;
  /** How often the scheduler looks for runnable changes. */
  schedulerFrequencyMs: number;
  /** When Argo CD itself blocks a sync by window: retry after this. */
  windowRetryMs: number;
  /** Changes executed at once by one backend process. */
  maxConcurrent: number;
}

const DEFAULTS: ExecutionSettings = {
  pollIntervalMs: 1_000,
  maxPollIntervalMs: 10_000,
  busyTimeoutMs: 10 * 60_000,
  operationTimeoutMs: 15 * 60_000,
  healthTimeoutMs: 10 * 60_000,
  leaseMs: 60_000,
  schedulerFrequencyMs: 15_000,
  windowRetryMs: 5 * 60_000,
  maxConcurrent: 4,
};

const KEYS: Array<[keyof ExecutionSettings, string]> = [
  ['pollIntervalMs', 'pollInterval'],
  ['maxPollIntervalMs', 'maxPollInterval'],
  ['busyTimeoutMs', 'busyTimeout'],
  ['operationTimeoutMs', 'operationTimeout'],
  ['healthTimeoutMs', 'healthTimeout'],
  ['leaseMs', 'leaseDuration'],
  ['schedulerFrequencyMs', 'schedulerFrequency'],
  ['windowRetryMs', 'windowRetry'],
];

/**
 * Reads `gitops.execution` (durations as `readDurationFromConfig` accepts:
 * `30s`, `{ minutes: 10 }`, ISO 8601). Missing keys keep the defaults.
 *
 * @internal
 */
export function readExecutionSettings(config: Config): ExecutionSettings {
  const c = config.getOptionalConfig('gitops.execution');
  const out = { ...DEFAULTS };
  if (!c) return out;
  for (const [field, key] of KEYS) {
    if (!c.has(key)) continue;
    let ms: number;
    try {
      ms = durationToMilliseconds(
        readDurationFromConfig(c, { key }) as HumanDuration,
      );
    } catch (e) {
      throw new GitopsConfigError(
        `gitops.execution.${key}`,
        (e as Error).message,
      );
    }
    if (!(ms > 0)) {
      throw new GitopsConfigError(
        `gitops.execution.${key}`,
        'must be a positive duration',
      );
    }
    out[field] = ms;
  }
  const mc = c.getOptionalNumber('maxConcurrent');
  if (mc !== undefined) {
    if (!Number.isInteger(mc) || mc < 1) {
      throw new GitopsConfigError(
        'gitops.execution.maxConcurrent',
        'must be a positive integer',
      );
    }
    out.maxConcurrent = mc;
  }
  if (out.maxPollIntervalMs < out.pollIntervalMs) {
    throw new GitopsConfigError(
      'gitops.execution.maxPollInterval',
      'must not be shorter than pollInterval',
    );
  }
  return out;
}
