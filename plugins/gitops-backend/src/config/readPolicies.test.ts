import { ConfigReader } from '@backstage/config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { readGitopsConfig } from './readGitopsConfig';
import { readPipelines } from './readPipelines';
import { readPolicies } from './readPolicies';

const policiesOf = (c: ConfigReader) => readGitopsConfig(c).policies;

function prodEnv(over: Record<string, unknown> = {}) {
  return {
    name: 'prod',
    promotesFrom: 'staging',
    tagPattern: '^v\\d+\\.\\d+\\.\\d+$',
    forbiddenTags: ['Stable'],
    requireSemver: true,
    sourceMustBeHealthy: true,
    requireRunInPrevious: { soakTime: '1h' },
    dryRunRequired: true,
    manualSyncRequired: true,
    approvals: {
      min: 2,
      approvers: ['group:default/platform-team', 'user:default/Bob'],
      expiresAfter: '24h',
    },
    windows: [
      {
        kind: 'allow',
        schedule: '0 6 * * 1-5',
        duration: '12h',
        timeZone: 'UTC',
      },
    ],
    override: {
      allowed: ['group:default/sre'],
      approvers: ['group:default/platform-team'],
    },
    ...over,
  };
}

function config(
  prod: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  return new ConfigReader({
    gitops: {
      defaultPipeline: 'standard',
      pipelines: {
        standard: {
          environments: [
            { name: 'dev' },
            { name: 'staging', promotesFrom: 'dev' },
            prodEnv(prod),
          ],
        },
      },
      ...extra,
    },
  });
}

describe('readPolicies', () => {
  it('reads every key of an environment policy', () => {
    const set = policiesOf(config());
    expect(set.defaultPipeline).toBe('standard');
    const prod = set.pipelines.get('standard')!.environments[2];
    expect(prod).toMatchObject({
      name: 'prod',
      order: 2,
      promotesFrom: 'staging',
      configPath: 'gitops.pipelines.standard.environments[2]',
      forbiddenTags: ['latest', 'stable'],
      requireSemver: true,
      sourceMustBeHealthy: true,
      requireRunInPrevious: { soakMs: 3_600_000 },
      dryRunRequired: true,
      manualSyncRequired: true,
      approvals: {
        min: 2,
        approvers: ['group:default/platform-team', 'user:default/bob'],
        expiresAfterMs: 86_400_000,
      },
      windows: [
        {
          kind: 'allow',
          schedule: '0 6 * * 1-5',
          duration: '12h',
          timeZone: 'UTC',
          source: 'policy',
        },
      ],
      useArgoCdWindows: true,
      override: {
        allowed: ['group:default/sre'],
        approvers: ['group:default/platform-team'],
        minApprovals: 1,
        bypass: ['sync-window'],
      },
    });
    expect(prod.tagPattern!.test('v1.2.3')).toBe(true);
    const dev = set.pipelines.get('standard')!.environments[0];
    expect(dev).toMatchObject({
      forbiddenTags: ['latest'],
      requireSemver: false,
      approvals: undefined,
      windows: [],
      override: undefined,
    });
  });

  it('reads the example app-config.yaml policy', () => {
    const set = policiesOf(loadExampleAppConfig());
    expect([...set.pipelines.keys()]).toEqual(['standard', 'fast-track']);
    expect(
      set.pipelines.get('fast-track')!.environments.map(e => e.name),
    ).toEqual(['dev', 'prod']);
  });

  it.each([
    [
      { windows: [{ kind: 'allow', schedule: '0 25 * * *', duration: '1h' }] },
      "Invalid config at 'gitops.pipelines.standard.environments[2].windows[0].schedule': cannot parse schedule '0 25 * * *'",
    ],
    [
      {
        windows: [
          {
            kind: 'allow',
            schedule: '0 6 * * *',
            duration: '1h',
            timeZone: 'Europe/Atlantis',
          },
        ],
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].windows[0].timeZone': unknown time zone 'Europe/Atlantis'",
    ],
    [
      {
        windows: [
          { kind: 'allow', schedule: '0 6 * * *', duration: 'twelve hours' },
        ],
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].windows[0].duration': cannot parse duration 'twelve hours'",
    ],
    [
      {
        windows: [{ kind: 'sometimes', schedule: '0 6 * * *', duration: '1h' }],
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].windows[0].kind': kind 'sometimes' must be 'allow' or 'deny'",
    ],
    [
      { tagPattern: '^v(\\d+$' },
      "Invalid config at 'gitops.pipelines.standard.environments[2].tagPattern': bad regular expression",
    ],
    [
      { promotesFrom: 'qa' },
      "Invalid config at 'gitops.pipelines.standard.environments[2].promotesFrom': unknown environment 'qa'",
    ],
    [
      { requireRunInPrevious: { soakTime: 'an hour' } },
      "Invalid config at 'gitops.pipelines.standard.environments[2].requireRunInPrevious.soakTime': cannot parse duration 'an hour'",
    ],
    [
      { approvals: { min: 1, approvers: ['component:default/x'] } },
      "Invalid config at 'gitops.pipelines.standard.environments[2].approvals.approvers[0]': 'component:default/x' is not a user or group entity ref",
    ],
    [
      { approvals: { min: 1, approvers: [] } },
      "Invalid config at 'gitops.pipelines.standard.environments[2].approvals.approvers': at least one approver ref is needed",
    ],
    [
      { approvals: { min: 1.5, approvers: ['group:default/a'] } },
      "Invalid config at 'gitops.pipelines.standard.environments[2].approvals.min': must be a whole number",
    ],
    [
      {
        approvals: {
          min: 1,
          approvers: ['group:default/a'],
          allowSelfApproval: true,
        },
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].approvals.allowSelfApproval': self-approval cannot be allowed",
    ],
    [
      {
        approvals: {
          min: 1,
          approvers: ['group:default/a'],
          expiresAfter: 'soon',
        },
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].approvals.expiresAfter': cannot parse duration 'soon'",
    ],
    [
      { override: { allowed: [] } },
      "Invalid config at 'gitops.pipelines.standard.environments[2].override.allowed': name at least one",
    ],
    [
      {
        override: {
          allowed: ['group:default/sre'],
          bypass: ['previous-environment-healthy'],
        },
      },
      "Invalid config at 'gitops.pipelines.standard.environments[2].override.bypass[0]': 'previous-environment-healthy' cannot be bypassed",
    ],
  ])('stops on %j', (prod, message) => {
    expect(() => policiesOf(config(prod))).toThrow(message);
  });

  it('names a cycle', () => {
    const c = new ConfigReader({
      gitops: {
        pipelines: {
          loop: {
            environments: [
              { name: 'a', promotesFrom: 'c' },
              { name: 'b', promotesFrom: 'a' },
              { name: 'c', promotesFrom: 'b' },
            ],
          },
        },
      },
    });
    expect(() => policiesOf(c)).toThrow(
      "Invalid config at 'gitops.pipelines.loop.environments[0].promotesFrom': cycle: a ← c ← b ← a",
    );
  });

  it('names duplicates, a missing previous environment and an unknown default', () => {
    const dup = new ConfigReader({
      gitops: {
        pipelines: { p: { environments: [{ name: 'a' }, { name: 'a' }] } },
      },
    });
    expect(() => policiesOf(dup)).toThrow(
      "Invalid config at 'gitops.pipelines.p.environments[1].name': duplicate environment 'a'",
    );
    const first = new ConfigReader({
      gitops: {
        pipelines: {
          p: { environments: [{ name: 'a', requireRunInPrevious: true }] },
        },
      },
    });
    expect(() => policiesOf(first)).toThrow(
      "'gitops.pipelines.p.environments[0].requireRunInPrevious': 'a' has no promotesFrom",
    );
    expect(() => policiesOf(config({}, { defaultPipeline: 'nope' }))).toThrow(
      "Invalid config at 'gitops.defaultPipeline': pipeline 'nope' is not defined",
    );
  });

  it('names a wrong type with its key', () => {
    expect(() => policiesOf(config({ requireSemver: [1] }))).toThrow(
      /gitops\.pipelines\.standard\.environments\[2\]\.requireSemver/,
    );
  });

  it('takes the environment list from the read side', () => {
    const c = config();
    const set = readPolicies(readPipelines(c, []));
    expect(set.pipelines.get('standard')!.environments).toHaveLength(3);
  });
});
