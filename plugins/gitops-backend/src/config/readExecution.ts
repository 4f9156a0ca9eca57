import { Config } from '@backstage/config';
import { readDurationMs } from './duration';
import { PipelineSet } from '../pipeline/Pipeline';
import { PolicySet } from '../policy/types';
import { readWriteBackSpec, WriteBackSpec } from '../writeback/config';
import { collecting, ConfigProblems } from './errors';

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
 * `30s`, `{ minutes: 10 }`, ISO 8601, plus Go-style `1h30m`). Missing keys
 * keep the defaults.
 *
 * @internal
 */
export function readExecutionSettings(
  config: Config,
  problems?: ConfigProblems,
): ExecutionSettings {
  return collecting(problems, p => readSettings(config, p));
}

function readSettings(
  config: Config,
  problems: ConfigProblems,
): ExecutionSettings {
  const out = { ...DEFAULTS };
  const c = problems.attempt('gitops.execution', () =>
    config.getOptionalConfig('gitops.execution'),
  );
  if (!c) return out;
  for (const [field, key] of KEYS) {
    if (!c.has(key)) continue;
    const ms = problems.attempt(`gitops.execution.${key}`, () =>
      readDurationMs(c, key, 'gitops.execution'),
    );
    if (ms === undefined) continue;
    if (!(ms > 0)) {
      problems.add(`gitops.execution.${key}`, 'must be a positive duration');
      continue;
    }
    out[field] = ms;
  }
  const mc = problems.attempt('gitops.execution.maxConcurrent', () =>
    c.getOptionalNumber('maxConcurrent'),
  );
  if (mc !== undefined) {
    if (!Number.isInteger(mc) || mc < 1) {
      problems.add(
        'gitops.execution.maxConcurrent',
        'must be a positive integer',
      );
    } else {
      out.maxConcurrent = mc;
    }
  }
  if (out.maxPollIntervalMs < out.pollIntervalMs) {
    problems.add(
      'gitops.execution.maxPollInterval',
      'must not be shorter than pollInterval',
    );
  }
  return out;
}

/** Execution keys of one environment, read once at startup. @internal */
export interface EnvironmentExecutionConfig {
  writeBack?: WriteBackSpec;
  /** The policy's `dryRunRequired` (read once, by the policy reader). */
  dryRunRequired: boolean;
  prune: boolean;
  allowDisableAutoSync: boolean;
}

/** Key of {@link EnvironmentExecutionConfig}s: `<pipeline>/<environment>`. @internal */
export const environmentKey = (pipeline: string, environment: string) =>
  `${pipeline}/${environment}`;

/**
 * Reads the execution keys of every pipeline environment (`writeBack`,
 * `sync.prune`, `rollback.allowDisableAutoSync`); `dryRunRequired` comes from
 * the policy model.
 *
 * @internal
 */
export function readEnvironmentExecutionConfigs(
  pipelines: PipelineSet,
  policies: PolicySet,
  gitRepositories: string[],
  problems?: ConfigProblems,
): Map<string, EnvironmentExecutionConfig> {
  return collecting(problems, p => {
    const out = new Map<string, EnvironmentExecutionConfig>();
    for (const pipeline of pipelines.pipelines.values()) {
      const policy = policies.pipelines.get(pipeline.name);
      for (const env of pipeline.environments) {
        const c = env.config;
        const read = (key: string) =>
          p.attempt(`${env.configPath}.${key}`, () =>
            c.getOptionalBoolean(key),
          ) ?? false;
        out.set(environmentKey(pipeline.name, env.name), {
          writeBack: p.attempt(`${env.configPath}.writeBack`, () =>
            readWriteBackSpec(c, env.configPath, gitRepositories),
          ),
          dryRunRequired:
            policy?.environments.find(e => e.name === env.name)
              ?.dryRunRequired ?? false,
          prune: read('sync.prune'),
          allowDisableAutoSync: read('rollback.allowDisableAutoSync'),
        });
      }
    }
    return out;
  });
}
