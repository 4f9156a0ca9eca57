import { ConfigReader } from '@backstage/config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { GitopsConfigError } from './errors';
import { readGitopsConfig } from './readGitopsConfig';

function readError(data: object): GitopsConfigError {
  try {
    readGitopsConfig(new ConfigReader(data));
  } catch (e) {
    if (e instanceof GitopsConfigError) return e;
    throw e;
  }
  throw new Error('expected a GitopsConfigError');
}

describe('readGitopsConfig', () => {
  it('reads the example app-config.yaml into one model', () => {
    const model = readGitopsConfig(loadExampleAppConfig());
    expect(model.instances.map(i => i.name)).toContain('local');
    expect([...model.pipelines.pipelines.keys()]).toEqual([
      'standard',
      'fast-track',
    ]);
    expect([...model.policies.pipelines.keys()]).toEqual([
      'standard',
      'fast-track',
    ]);
    const prod = model.policies.pipelines
      .get('standard')!
      .environments.find(e => e.name === 'prod')!;
    // dryRunRequired is read once, by the policy reader, and shared
    expect(model.environments.get('standard/prod')!.dryRunRequired).toBe(
      prod.dryRunRequired,
    );
    expect(model.execution.maxConcurrent).toBeGreaterThan(0);
    expect(model.cacheTtlMs).toBeGreaterThanOrEqual(0);
  });

  it('names every problem of a wrong policy at once, each with its key path', () => {
    const e = readError({
      gitops: {
        pipelines: {
          standard: {
            environments: [
              { name: 'dev' },
              { name: 'staging', promotesFrom: 'qa' },
              {
                name: 'prod',
                promotesFrom: 'staging',
                windows: [
                  { kind: 'allow', schedule: '0 25 * * *', duration: '1h' },
                  {
                    kind: 'deny',
                    schedule: '0 6 * * *',
                    duration: '1h',
                    timeZone: 'Europe/Atlantis',
                  },
                ],
              },
            ],
          },
        },
      },
    });
    const env = 'gitops.pipelines.standard.environments';
    expect(e.problems.map(p => p.path)).toEqual([
      `${env}[1].promotesFrom`,
      `${env}[2].windows[0].schedule`,
      `${env}[2].windows[1].timeZone`,
    ]);
    expect(e.problems[0].reason).toContain("unknown environment 'qa'");
    expect(e.problems[1].reason).toContain(
      "cannot parse schedule '0 25 * * *'",
    );
    expect(e.problems[2].reason).toContain(
      "unknown time zone 'Europe/Atlantis'",
    );
    expect(e.message).toContain('3 config problems');
    for (const p of e.problems) {
      expect(e.message).toContain(`Invalid config at '${p.path}': ${p.reason}`);
    }
  });

  it('collects problems across sections', () => {
    const e = readError({
      gitops: {
        argocd: { instances: [{ name: 'a', url: 'not a url', token: 't' }] },
        execution: { busyTimeout: 'soon', maxConcurrent: 0 },
        cache: { ttl: 'later' },
        pipelines: { p: { environments: [{ name: 'dev', instance: 'a' }] } },
      },
    });
    expect(e.problems.map(p => p.path)).toEqual([
      'gitops.argocd.instances[0].url',
      'gitops.pipelines.p.environments[0].instance',
      'gitops.execution.busyTimeout',
      'gitops.execution.maxConcurrent',
      'gitops.cache.ttl',
    ]);
  });

  it('names a bad overview or entity time to live, and reads the defaults and 0s', () => {
    const e = readError({
      gitops: {
        argocd: { instances: [{ name: 'a', url: 'http://a', token: 't' }] },
        cache: { overviewTtl: 'later', entityTtl: { seconds: -1 } },
        pipelines: { p: { environments: [{ name: 'dev', instance: 'a' }] } },
      },
    });
    expect(e.problems.map(p => p.path)).toEqual([
      'gitops.cache.overviewTtl',
      'gitops.cache.entityTtl',
    ]);
    const base = {
      argocd: { instances: [{ name: 'a', url: 'http://a', token: 't' }] },
      pipelines: { p: { environments: [{ name: 'dev', instance: 'a' }] } },
    };
    const defaults = readGitopsConfig(new ConfigReader({ gitops: base }));
    expect([defaults.overviewTtlMs, defaults.entityTtlMs]).toEqual([
      10_000, 5_000,
    ]);
    const off = readGitopsConfig(
      new ConfigReader({
        gitops: { ...base, cache: { overviewTtl: '0s', entityTtl: '0s' } },
      }),
    );
    expect([off.overviewTtlMs, off.entityTtlMs]).toEqual([0, 0]);
  });

  it('accepts every duration form readDurationFromConfig accepts, and Go-style strings', () => {
    const model = readGitopsConfig(
      new ConfigReader({
        gitops: {
          execution: {
            pollInterval: '2 seconds',
            maxPollInterval: '1m30s',
            busyTimeout: 'PT10M',
            operationTimeout: { minutes: 20 },
          },
          cache: { ttl: '1h30m' },
          pipelines: {
            p: {
              environments: [
                { name: 'dev' },
                {
                  name: 'prod',
                  promotesFrom: 'dev',
                  requireRunInPrevious: { soakTime: { hours: 2 } },
                  approvals: {
                    min: 1,
                    approvers: ['group:default/a'],
                    expiresAfter: '2 days',
                  },
                },
              ],
            },
          },
        },
      }),
    );
    expect(model.execution).toMatchObject({
      pollIntervalMs: 2_000,
      maxPollIntervalMs: 90_000,
      busyTimeoutMs: 600_000,
      operationTimeoutMs: 1_200_000,
    });
    expect(model.cacheTtlMs).toBe(5_400_000);
    const prod = model.policies.pipelines.get('p')!.environments[1];
    expect(prod.requireRunInPrevious).toEqual({ soakMs: 7_200_000 });
    expect(prod.approvals!.expiresAfterMs).toBe(2 * 86_400_000);
  });
});
