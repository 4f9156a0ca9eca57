import { ConfigReader } from '@backstage/config';
import { EnvironmentState, HistoryEntry } from '@internal/plugin-gitops-common';
import fc from 'fast-check';
import { fromArgoSyncWindows } from '../windows';
import { PolicyChange, PolicySnapshot, evaluatePolicy } from './evaluatePolicy';
import { readGitopsConfig } from '../config';
import { compareVersionTags, parseVersionTag } from './versions';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import type { VerificationFacts } from './verificationFacts';

const policies = readGitopsConfig(loadExampleAppConfig()).policies;
const standard = policies.pipelines.get('standard')!;

// Tue 24 Nov 2026 10:00 UTC: inside the prod window
const TUE_10 = new Date('2026-11-24T10:00:00Z');
// the registry's digest of v1.2.0 and of v1.2.0-rc.2 (one build, two tags)
const RC2_DIGEST = `sha256:${'2c'.repeat(32)}`;
const SAT_10 = new Date('2026-11-28T10:00:00Z');

function env(
  name: string,
  order: number,
  over: Partial<EnvironmentState> = {},
): EnvironmentState {
  return {
    name,
    order,
    images: [],
    conditions: [],
    unhealthyResources: 0,
    health: { status: 'Healthy' },
    syncStatus: 'Synced',
    application: {
      name: `python-api-base-${name}`,
      instance: 'local',
      autoSync: name !== 'prod',
    },
    ...over,
  };
}

/** QA verified the rc staging runs; its sync's PostSync hook succeeded (the example requires both). */
const STAGING_VERIFIED: VerificationFacts = {
  environment: 'staging',
  running: 'v1.2.0-rc.2',
  runningRevisions: ['c0ffee'],
  health: 'Healthy',
  healthySince: '2026-11-23T10:00:00Z',
  lastSync: {
    phase: 'Succeeded',
    revisions: ['c0ffee'],
    postSyncHooks: [
      { kind: 'Job', name: 'python-api-base-smoke-test', phase: 'Succeeded' },
    ],
  },
  decisions: [
    {
      id: 'd1',
      version: 'v1.2.0-rc.2',
      decision: 'verified',
      decidedBy: 'user:default/erin',
      decidedAt: '2026-11-24T08:00:00Z',
      round: 0,
    },
  ],
};

function snapshot(over: Partial<PolicySnapshot> = {}): PolicySnapshot {
  return {
    environments: [
      env('dev', 0, { version: 'v1.3.0-dev.4' }),
      env('staging', 1, {
        version: 'v1.2.0-rc.2',
        lastDeployedAt: '2026-11-23T10:00:00Z',
        promotesFrom: 'dev',
      }),
      env('prod', 2, { version: 'v1.1.0', promotesFrom: 'staging' }),
    ],
    history: {},
    approvals: [],
    requesterClaims: ['user:default/alice', 'group:default/team-a'],
    images: {
      repository: 'example.org/shop/python-api-base',
      digests: { 'v1.2.0': RC2_DIGEST, 'v1.2.0-rc.2': RC2_DIGEST },
    },
    verification: { staging: STAGING_VERIFIED },
    now: TUE_10,
    ...over,
  };
}

const promote = (over: Partial<PolicyChange> = {}): PolicyChange => ({
  kind: 'promote',
  environment: 'prod',
  version: 'v1.2.0',
  requestedBy: 'user:default/alice',
  override: false,
  ...over,
});

const byId = (r: ReturnType<typeof evaluatePolicy>) =>
  Object.fromEntries(r.checks.map(c => [c.id, c]));

describe('evaluatePolicy', () => {
  it('prod promotion inside the window: all rules pass, approval and dry-run pending', () => {
    const r = evaluatePolicy(standard, promote(), snapshot());
    expect(r.checks).toEqual([
      {
        id: 'pipeline-order',
        status: 'pass',
        message: 'prod takes versions from staging',
      },
      {
        id: 'forbidden-tag',
        status: 'pass',
        message: 'v1.2.0 is not a forbidden tag (latest, stable)',
      },
      { id: 'semver', status: 'pass', message: 'v1.2.0 is a semantic version' },
      {
        id: 'tag-pattern',
        status: 'pass',
        message: "v1.2.0 matches prod's tag pattern ^v\\d+\\.\\d+\\.\\d+$",
      },
      { id: 'source-healthy', status: 'pass', message: 'staging is Healthy' },
      {
        id: 'previous-environment-healthy',
        status: 'pass',
        message: 'staging runs v1.2.0-rc.2 (same 1.2.0) and is Healthy for 1 d',
      },
      {
        id: 'verified-in-staging',
        status: 'pass',
        message:
          'v1.2.0-rc.2 was verified in staging by erin 2 h ago; its PostSync hooks succeeded (Job/python-api-base-smoke-test); it has been Healthy for 1 d',
      },
      {
        id: 'image-exists',
        status: 'pass',
        message: `example.org/shop/python-api-base:v1.2.0 exists in the registry (sha256:${'2c'.repeat(
          6,
        )})`,
      },
      {
        id: 'same-digest',
        status: 'pass',
        message: `v1.2.0 is the same image (sha256:${'2c'.repeat(
          6,
        )}) as v1.2.0-rc.2, which runs in staging`,
      },
      {
        id: 'manual-sync',
        status: 'pass',
        message: 'prod has automated sync off, as required',
      },
      {
        id: 'dry-run',
        status: 'pending',
        message:
          'a dry-run sync of prod runs first and must succeed before the real sync',
      },
      {
        id: 'approvals',
        status: 'pending',
        message:
          'needs 1 more approval from group:default/platform-team (0 of 1; the requester cannot approve)',
      },
      {
        id: 'sync-window',
        status: 'pass',
        message: 'inside the window; closes Tue 18:00 UTC',
      },
    ]);
    expect(r).toMatchObject({
      allowed: true,
      approved: false,
      rejected: false,
      windowOpen: true,
      requiredApprovals: 1,
      approverRefs: ['group:default/platform-team'],
      fromVersion: 'v1.1.0',
      sourceEnvironment: 'staging',
      version: 'v1.2.0',
    });
  });

  it('outside the window the window check is pending with the next opening', () => {
    const r = evaluatePolicy(standard, promote(), snapshot({ now: SAT_10 }));
    expect(byId(r)['sync-window']).toEqual({
      id: 'sync-window',
      status: 'pending',
      message: 'outside the window; next opens Mon 06:00 UTC',
    });
    expect(r.allowed).toBe(true);
    expect(r.windowOpen).toBe(false);
    expect(r.window.nextOpen).toBe('2026-11-30T06:00:00.000Z');
  });

  it('17:59 passes and 18:00 waits', () => {
    const at = (iso: string) =>
      byId(
        evaluatePolicy(standard, promote(), snapshot({ now: new Date(iso) })),
      )['sync-window'].status;
    expect(at('2026-11-27T17:59:00Z')).toBe('pass');
    expect(at('2026-11-27T18:00:00Z')).toBe('pending');
  });

  describe('version rules', () => {
    it.each([
      [
        'latest',
        'forbidden-tag',
        "'latest' is a mutable tag and never allowed in prod",
      ],
      [
        'LATEST',
        'forbidden-tag',
        "'LATEST' is a mutable tag and never allowed in prod",
      ],
      [
        'stable',
        'forbidden-tag',
        "'stable' is a mutable tag and never allowed in prod",
      ],
      [
        'v1.2',
        'semver',
        "'v1.2' is not a semantic version (expected vX.Y.Z or vX.Y.Z-pre.N, nothing before or after); prod requires semantic versions",
      ],
      [
        '1.2.0 ',
        'semver',
        "'1.2.0 ' is not a semantic version (expected vX.Y.Z or vX.Y.Z-pre.N, nothing before or after); prod requires semantic versions",
      ],
      [
        'v1.2.0-rc10',
        'semver',
        "'v1.2.0-rc10' has the prerelease identifier 'rc10'; write it dotted ('rc.10') so versions order numerically; prod requires semantic versions",
      ],
      [
        'v1.2.0-rc.1',
        'tag-pattern',
        "'v1.2.0-rc.1' does not match prod's tag pattern ^v\\d+\\.\\d+\\.\\d+$",
      ],
    ])('%p fails %s', (version, id, message) => {
      const r = evaluatePolicy(standard, promote({ version }), snapshot());
      expect(byId(r)[id]).toEqual({
        id,
        status: 'fail',
        field: 'version',
        message,
      });
      expect(r.allowed).toBe(false);
    });
  });

  describe('pipeline order', () => {
    it('nothing is promoted into the first environment', () => {
      const r = evaluatePolicy(
        standard,
        promote({ environment: 'dev', version: 'v1.3.0-dev.5' }),
        snapshot(),
      );
      expect(byId(r)['pipeline-order']).toEqual({
        id: 'pipeline-order',
        status: 'fail',
        field: 'environment',
        message:
          'dev is the first environment of pipeline standard; versions enter it from CI, not by promotion',
      });
    });
    it('prod does not take versions from dev', () => {
      const r = evaluatePolicy(
        standard,
        promote({ sourceEnvironment: 'dev' }),
        snapshot(),
      );
      expect(byId(r)['pipeline-order']).toMatchObject({
        status: 'fail',
        message:
          'prod takes versions only from staging, not from dev (pipeline standard)',
      });
    });
    it('throws for an environment outside the pipeline (the service answers 400 before)', () => {
      expect(() =>
        evaluatePolicy(standard, promote({ environment: 'qa' }), snapshot()),
      ).toThrow("environment 'qa' is not in pipeline 'standard'");
    });
  });

  describe('source must be healthy', () => {
    it.each(['Degraded', 'Progressing', 'Missing'] as const)(
      '%s blocks',
      status => {
        const s = snapshot();
        s.environments[1].health = { status };
        const r = evaluatePolicy(standard, promote(), s);
        expect(byId(r)['source-healthy']).toEqual({
          id: 'source-healthy',
          status: 'fail',
          message: `staging is ${status}; promotions out of staging need it Healthy`,
        });
      },
    );
    it('an unreadable source blocks', () => {
      const s = snapshot();
      s.environments[1].error = {
        name: 'ServiceUnavailableError',
        message: 'Argo CD local is unreachable',
      };
      expect(
        byId(evaluatePolicy(standard, promote(), s))['source-healthy'].message,
      ).toBe(
        'staging could not be read (Argo CD local is unreachable); promotions out of staging need it Healthy',
      );
    });
  });

  describe('previous environment ran it healthy (same X.Y.Z)', () => {
    const soakPolicy = readGitopsConfig(
      new ConfigReader({
        gitops: {
          pipelines: {
            p: {
              environments: [
                { name: 'staging' },
                {
                  name: 'prod',
                  promotesFrom: 'staging',
                  requireRunInPrevious: { soakTime: '2h' },
                },
              ],
            },
          },
        },
      }),
    ).policies.pipelines.get('p')!;
    const snap = (
      staging: Partial<EnvironmentState>,
      history: HistoryEntry[] = [],
    ) =>
      snapshot({
        environments: [
          env('staging', 0, staging),
          env('prod', 1, { version: 'v1.0.0' }),
        ],
        history: { staging: history },
      });
    // History rows as the read side returns them: Healthy since when our
    // record or the read side saw it Healthy (here: right at the deploy).
    const h = (
      id: string,
      version: string,
      deployedAt: string,
      extra: Partial<HistoryEntry> = { healthySince: deployedAt },
    ): HistoryEntry => ({
      source: 'argocd',
      id,
      version,
      deployedAt,
      ...extra,
    });
    const check = (r: ReturnType<typeof evaluatePolicy>) =>
      byId(r)['previous-environment-healthy'];

    it('passes when staging runs it Healthy for longer than the soak', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({
          version: 'v1.2.0-rc.2',
          lastDeployedAt: '2026-11-24T07:00:00Z',
        }),
      );
      expect(check(r)).toEqual({
        id: 'previous-environment-healthy',
        status: 'pass',
        message:
          'staging runs v1.2.0-rc.2 (same 1.2.0) Healthy for 3 h (soak time 2 h)',
      });
    });
    it('fails before the soak time is over, saying when it will be', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({
          version: 'v1.2.0-rc.2',
          lastDeployedAt: '2026-11-24T09:20:00Z',
        }),
      );
      expect(check(r)).toEqual({
        id: 'previous-environment-healthy',
        status: 'fail',
        field: 'version',
        message:
          'staging runs v1.2.0-rc.2 Healthy for 40 min only; the soak time is 2 h (enough at Tue 11:20 UTC)',
      });
    });
    it('fails when staging runs it Degraded', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.2.0-rc.2', health: { status: 'Degraded' } }),
      );
      expect(check(r).message).toBe('staging runs v1.2.0-rc.2 but is Degraded');
    });
    it('passes from history when an earlier deployment stayed long enough', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.3.0-rc.1' }, [
          h('7', 'v1.2.0-rc.2', '2026-11-23T08:00:00Z'),
          h('8', 'v1.3.0-rc.1', '2026-11-23T11:00:00Z'),
        ]),
      );
      expect(check(r)).toEqual({
        id: 'previous-environment-healthy',
        status: 'pass',
        message:
          'staging ran v1.2.0-rc.2 (same 1.2.0) for 3 h from 2026-11-23T08:00:00.000Z until v1.3.0-rc.1 replaced it (soak time 2 h)',
      });
    });
    it('fails from history when the earlier deployment was replaced too soon', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.3.0-rc.1' }, [
          h('7', 'v1.2.0-rc.2', '2026-11-23T08:00:00Z'),
          h('8', 'v1.3.0-rc.1', '2026-11-23T09:00:00Z'),
        ]),
      );
      expect(check(r)).toMatchObject({ status: 'fail', field: 'version' });
    });
    it('a version that ran in staging but was never seen Healthy there does not count', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.3.0-rc.1' }, [
          h('7', 'v1.2.0-rc.2', '2026-11-23T08:00:00Z', {}),
          h('8', 'v1.3.0-rc.1', '2026-11-23T11:00:00Z'),
        ]),
      );
      expect(check(r)).toEqual({
        id: 'previous-environment-healthy',
        status: 'fail',
        field: 'version',
        message:
          'staging ran v1.2.0-rc.2, but nothing recorded it Healthy there',
      });
    });
    it('a version that ran Degraded in staging does not count, however long it stayed', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.3.0-rc.1' }, [
          h('7', 'v1.2.0-rc.2', '2026-11-23T02:00:00Z', {
            healthySince: '2026-11-23T02:05:00Z',
            degradedAt: '2026-11-23T06:00:00Z',
          }),
          h('8', 'v1.3.0-rc.1', '2026-11-23T11:00:00Z'),
        ]),
      );
      expect(check(r)).toMatchObject({
        status: 'fail',
        message:
          'staging ran v1.2.0-rc.2, but it was Degraded there (seen 2026-11-23T06:00:00Z)',
      });
    });
    it('the soak counts from Healthy, not from the deploy', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({ version: 'v1.3.0-rc.1' }, [
          h('7', 'v1.2.0-rc.2', '2026-11-23T08:00:00Z', {
            healthySince: '2026-11-23T09:30:00Z',
          }),
          h('8', 'v1.3.0-rc.1', '2026-11-23T11:00:00Z'),
        ]),
      );
      expect(check(r)).toMatchObject({
        status: 'fail',
        message:
          'staging ran v1.2.0-rc.2 Healthy for 1 h 30 min only before v1.3.0-rc.1 replaced it (soak time 2 h)',
      });
    });
    it('the time staging runs it now counts from Healthy since', () => {
      const r = evaluatePolicy(
        soakPolicy,
        promote(),
        snap({
          version: 'v1.2.0-rc.2',
          lastDeployedAt: '2026-11-24T07:00:00Z',
          healthySince: '2026-11-24T09:00:00Z',
        }),
      );
      expect(check(r)).toMatchObject({
        status: 'fail',
        message:
          'staging runs v1.2.0-rc.2 Healthy for 1 h only; the soak time is 2 h (enough at Tue 11:00 UTC)',
      });
    });
    it('a hotfix that never ran in staging is refused', () => {
      const r = evaluatePolicy(
        standard,
        promote({ version: 'v1.2.1' }),
        snapshot({
          history: { staging: [h('1', 'v1.2.0-rc.2', '2026-11-23T10:00:00Z')] },
        }),
      );
      expect(byId(r)['previous-environment-healthy']).toEqual({
        id: 'previous-environment-healthy',
        status: 'fail',
        field: 'version',
        message:
          'v1.2.1 never ran healthy in staging: staging runs v1.2.0-rc.2 and its history has no 1.2.1 that stayed (hotfixes too must run in staging first)',
      });
    });
    it('different X.Y.Z never matches', () => {
      expect(() =>
        fc.assert(
          fc.property(
            fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)),
            fc.tuple(fc.nat(20), fc.nat(20), fc.nat(20)),
            fc.nat(30),
            (a, b, rc) => {
              const running = `v${a.join('.')}-rc.${rc}`;
              const wanted = `v${b.join('.')}`;
              const r = evaluatePolicy(
                standard,
                promote({ version: wanted }),
                (() => {
                  const s = snapshot();
                  s.environments[1].version = running;
                  return s;
                })(),
              );
              const pass =
                byId(r)['previous-environment-healthy'].status === 'pass';
              return pass === (a.join('.') === b.join('.'));
            },
          ),
        ),
      ).not.toThrow();
    });
  });

  describe('manual sync required', () => {
    it('auto-sync on prod is a failing check', () => {
      const s = snapshot();
      s.environments[2].application!.autoSync = true;
      expect(
        byId(evaluatePolicy(standard, promote(), s))['manual-sync'],
      ).toEqual({
        id: 'manual-sync',
        status: 'fail',
        message:
          'prod has automated sync on; it requires manual sync (turn off automated sync of python-api-base-prod in Argo CD)',
      });
    });
  });

  describe('approvals', () => {
    const bob = {
      approver: 'user:default/bob',
      decision: 'approve' as const,
      decidedAt: '2026-11-24T09:00:00Z',
      claims: ['user:default/bob', 'group:default/platform-team'],
    };
    it('one approval from the group passes', () => {
      const r = evaluatePolicy(
        standard,
        promote(),
        snapshot({ approvals: [bob] }),
      );
      expect(byId(r).approvals).toEqual({
        id: 'approvals',
        status: 'pass',
        message: 'approval by user:default/bob (1 of 1)',
      });
      expect(r.approved).toBe(true);
    });
    it("the requester's own approval never counts", () => {
      const own = {
        ...bob,
        approver: 'user:default/alice',
        claims: ['user:default/alice', 'group:default/platform-team'],
      };
      expect(
        evaluatePolicy(standard, promote(), snapshot({ approvals: [own] }))
          .approved,
      ).toBe(false);
    });
    it('an approval from outside the approver refs does not count', () => {
      const dave = {
        ...bob,
        approver: 'user:default/dave',
        claims: ['user:default/dave', 'group:default/sre'],
      };
      expect(
        evaluatePolicy(standard, promote(), snapshot({ approvals: [dave] }))
          .approved,
      ).toBe(false);
    });
    it('approvals expire after 24 h', () => {
      const old = { ...bob, decidedAt: '2026-11-23T09:59:00Z' };
      const r = evaluatePolicy(
        standard,
        promote(),
        snapshot({ approvals: [old] }),
      );
      expect(byId(r).approvals.message).toBe(
        'needs 1 more approval from group:default/platform-team (0 of 1; the requester cannot approve; 1 approval expired)',
      );
    });
    it('any reject rejects', () => {
      const carol = {
        approver: 'user:default/carol',
        decision: 'reject' as const,
        comment: 'not today',
        decidedAt: '2026-11-24T09:30:00Z',
        claims: ['group:default/platform-team'],
      };
      const r = evaluatePolicy(
        standard,
        promote(),
        snapshot({ approvals: [bob, carol] }),
      );
      expect(byId(r).approvals).toEqual({
        id: 'approvals',
        status: 'fail',
        message: 'rejected by user:default/carol: not today',
      });
      expect(r).toMatchObject({
        rejected: true,
        approved: false,
        allowed: false,
      });
    });
    it('no approval gate passes with a sentence', () => {
      const r = evaluatePolicy(
        standard,
        promote({ environment: 'staging', version: 'v1.3.0-rc.1' }),
        snapshot(),
      );
      expect(byId(r).approvals).toEqual({
        id: 'approvals',
        status: 'pass',
        message: 'no approval required for staging',
      });
      expect(r.requiredApprovals).toBe(0);
    });
  });

  describe('emergency override', () => {
    const dave = ['user:default/dave', 'group:default/sre'];
    it('sre may bypass the window with a reason; the override needs platform approval', () => {
      const r = evaluatePolicy(
        standard,
        promote({
          requestedBy: 'user:default/dave',
          override: true,
          reason: 'CVE fix',
        }),
        snapshot({ requesterClaims: dave, now: SAT_10 }),
      );
      const c = byId(r);
      expect(c.override).toEqual({
        id: 'override',
        status: 'pass',
        message:
          'emergency override requested by user:default/dave; it bypasses sync-window',
      });
      expect(c['override-reason']).toEqual({
        id: 'override-reason',
        status: 'pass',
        message: 'reason given: CVE fix',
      });
      expect(c['sync-window']).toEqual({
        id: 'sync-window',
        status: 'pass',
        message: 'outside the window; bypassed by the emergency override',
      });
      expect(c['override-approval']).toMatchObject({ status: 'pending' });
      expect(r).toMatchObject({
        allowed: true,
        windowOpen: true,
        requiredApprovals: 1,
      });
    });
    it('without a reason it fails naming the reason field, and the window still applies', () => {
      const r = evaluatePolicy(
        standard,
        promote({
          requestedBy: 'user:default/dave',
          override: true,
          reason: '  ',
        }),
        snapshot({ requesterClaims: dave, now: SAT_10 }),
      );
      expect(byId(r)['override-reason']).toEqual({
        id: 'override-reason',
        status: 'fail',
        field: 'reason',
        message: 'an emergency override needs a reason',
      });
      expect(byId(r)['sync-window'].status).toBe('pending');
    });
    it('someone outside override.allowed fails naming the override field', () => {
      const r = evaluatePolicy(
        standard,
        promote({ override: true, reason: 'please' }),
        snapshot({ now: SAT_10 }),
      );
      expect(byId(r).override).toEqual({
        id: 'override',
        status: 'fail',
        field: 'override',
        message:
          'user:default/alice may not request an emergency override for prod (allowed: group:default/sre)',
      });
    });
    it("cannot bypass Argo CD's own deny window", () => {
      const argo = fromArgoSyncWindows([
        { kind: 'deny', schedule: '0 0 * * 6', duration: '48h' },
      ]);
      const r = evaluatePolicy(
        standard,
        promote({
          requestedBy: 'user:default/dave',
          override: true,
          reason: 'CVE',
        }),
        snapshot({ requesterClaims: dave, now: SAT_10, argoCdWindows: argo }),
      );
      expect(byId(r)['sync-window']).toEqual({
        id: 'sync-window',
        status: 'pending',
        message:
          "blocked by Argo CD's sync window; next opens Mon 00:00 UTC; the emergency override cannot bypass Argo CD's windows",
      });
    });
    it('fast-track prod has no override', () => {
      const ft = policies.pipelines.get('fast-track')!;
      const r = evaluatePolicy(
        ft,
        promote({ override: true, reason: 'x', version: 'v1.0.0' }),
        snapshot({
          environments: [
            env('dev', 0, { version: 'v1.0.0-dev.1' }),
            env('prod', 1),
          ],
        }),
      );
      expect(byId(r).override).toEqual({
        id: 'override',
        status: 'fail',
        field: 'override',
        message: 'prod has no emergency override in its policy',
      });
    });
  });

  describe('rollback', () => {
    const history: HistoryEntry[] = [
      {
        source: 'argocd',
        id: '3',
        version: 'v1.0.0',
        revision: 'aaa',
        deployedAt: '2026-11-01T10:00:00Z',
      },
      {
        source: 'argocd',
        id: '4',
        version: 'v1.1.0',
        revision: 'bbb',
        deployedAt: '2026-11-10T10:00:00Z',
      },
    ];
    it('goes back to a version from the history', () => {
      const r = evaluatePolicy(
        standard,
        {
          kind: 'rollback',
          environment: 'prod',
          rollbackTo: { historyId: '3' },
          requestedBy: 'user:default/alice',
          override: false,
        },
        snapshot({ history: { prod: history } }),
      );
      expect(byId(r)['rollback-target']).toEqual({
        id: 'rollback-target',
        status: 'pass',
        message:
          'prod ran v1.0.0 before (history #3, deployed 2026-11-01T10:00:00Z)',
      });
      expect(r.version).toBe('v1.0.0');
      expect(byId(r)['previous-environment-healthy']).toBeUndefined();
    });
    it('refuses a target that is not in the history', () => {
      const r = evaluatePolicy(
        standard,
        {
          kind: 'rollback',
          environment: 'prod',
          rollbackTo: { version: 'v0.9.0' },
          requestedBy: 'user:default/alice',
          override: false,
        },
        snapshot({ history: { prod: history } }),
      );
      expect(byId(r)['rollback-target']).toEqual({
        id: 'rollback-target',
        status: 'fail',
        field: 'rollbackTo',
        message:
          "v0.9.0 is not in prod's deployment history; a rollback goes back to an earlier deployment of prod",
      });
    });
  });

  it('an unreadable target fails environment-readable', () => {
    const s = snapshot();
    s.environments[2] = {
      ...s.environments[2],
      error: {
        name: 'NotFoundError',
        message: 'application python-api-base-prod not found',
      },
    };
    expect(
      byId(evaluatePolicy(standard, promote(), s))['environment-readable'],
    ).toEqual({
      id: 'environment-readable',
      status: 'fail',
      message:
        'prod could not be read (application python-api-base-prod not found), so the policy cannot be checked',
    });
  });

  it('sync: no version rules, approvals and window still apply', () => {
    const r = evaluatePolicy(
      standard,
      {
        kind: 'sync',
        environment: 'prod',
        requestedBy: 'user:default/alice',
        override: false,
      },
      snapshot({ now: SAT_10 }),
    );
    expect(r.checks.map(c => c.id)).toEqual([
      'manual-sync',
      'dry-run',
      'approvals',
      'sync-window',
    ]);
  });
});

describe('version order (semver, dotted prerelease)', () => {
  const tag = fc
    .record({
      major: fc.nat(50),
      minor: fc.nat(50),
      patch: fc.nat(50),
      pre: fc.option(fc.tuple(fc.constantFrom('dev', 'rc'), fc.nat(30)), {
        nil: undefined,
      }),
    })
    .map(
      t =>
        `v${t.major}.${t.minor}.${t.patch}${
          t.pre ? `-${t.pre[0]}.${t.pre[1]}` : ''
        }`,
    );

  it('dev.N < rc.N < release for the same X.Y.Z, numerically', () => {
    expect(
      [
        'v1.2.0',
        'v1.2.0-rc.10',
        'v1.2.0-dev.10',
        'v1.2.0-rc.2',
        'v1.2.0-dev.3',
        'v1.2.0-rc.1',
      ].sort(compareVersionTags),
    ).toEqual([
      'v1.2.0-dev.3',
      'v1.2.0-dev.10',
      'v1.2.0-rc.1',
      'v1.2.0-rc.2',
      'v1.2.0-rc.10',
      'v1.2.0',
    ]);
  });

  it('every generated tag parses, and the order is total, antisymmetric and transitive', () => {
    expect(() =>
      fc.assert(
        fc.property(tag, tag, tag, (a, b, c) => {
          if (!parseVersionTag(a).ok) return false;
          const ab = compareVersionTags(a, b);
          if (Math.sign(ab) !== -Math.sign(compareVersionTags(b, a)))
            return false;
          if (
            ab <= 0 &&
            compareVersionTags(b, c) <= 0 &&
            compareVersionTags(a, c) > 0
          )
            return false;
          return true;
        }),
      ),
    ).not.toThrow();
  });

  it('a prerelease sorts before its release and after the previous patch', () => {
    expect(() =>
      fc.assert(
        fc.property(
          fc.nat(50),
          fc.nat(50),
          fc.integer({ min: 1, max: 50 }),
          fc.nat(30),
          (x, y, z, n) => {
            const release = `v${x}.${y}.${z}`;
            return (
              compareVersionTags(`${release}-rc.${n}`, release) < 0 &&
              compareVersionTags(`v${x}.${y}.${z - 1}`, `${release}-dev.${n}`) <
                0 &&
              compareVersionTags(
                `${release}-rc.${n}`,
                `${release}-rc.${n + 1}`,
              ) < 0
            );
          },
        ),
      ),
    ).not.toThrow();
  });

  it.each([
    'latest',
    'v1.2',
    '1.2.0 ',
    ' 1.2.0',
    'v01.2.0',
    'v1.2.0-rc10',
    'v1.2.0-',
    '1.2.0/../x',
    'v1.2.0-rc.01',
  ])('rejects %p', t => expect(parseVersionTag(t).ok).toBe(false));
  it.each([
    '1.2.0',
    'v1.2.0',
    'v1.2.0-rc.1',
    'v1.2.0-dev.3+build.5',
    'v0.0.1-alpha',
  ])('accepts %p', t => expect(parseVersionTag(t).ok).toBe(true));
});
