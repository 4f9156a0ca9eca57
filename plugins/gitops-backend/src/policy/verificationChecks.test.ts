import type { VerificationDecision } from '@internal/plugin-gitops-common';
import { EnvironmentPolicy } from './types';
import {
  automatedVerdict,
  standingSignOff,
  verificationCheck,
} from './verificationChecks';
import { VerificationFacts } from './verificationFacts';

const NOW = Date.parse('2026-11-24T10:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();
const QA = ['group:default/qa'];

let seq = 0;
function d(
  over: Partial<VerificationDecision> & Pick<VerificationDecision, 'decision'>,
): VerificationDecision {
  seq += 1;
  return {
    id: `d${seq}`,
    version: 'v1.2.0-rc.2',
    decidedBy: 'user:default/erin',
    decidedAt: ago(120),
    round: 0,
    ...over,
  };
}

const staging = (
  verification: EnvironmentPolicy['verification'],
): EnvironmentPolicy => ({
  name: 'staging',
  order: 1,
  promotesFrom: 'dev',
  configPath: 'gitops.pipelines.standard.environments[1]',
  forbiddenTags: ['latest'],
  requireSemver: true,
  sourceMustBeHealthy: false,
  dryRunRequired: false,
  manualSyncRequired: false,
  windows: [],
  useArgoCdWindows: false,
  verification,
});

const REV = 'a'.repeat(40);
function facts(over: Partial<VerificationFacts> = {}): VerificationFacts {
  return {
    environment: 'staging',
    running: 'v1.2.0-rc.2',
    runningRevisions: [REV],
    health: 'Healthy',
    healthySince: ago(180),
    lastSync: {
      phase: 'Succeeded',
      revisions: [REV],
      postSyncHooks: [
        { kind: 'Job', name: 'api-smoke-test', phase: 'Succeeded' },
      ],
    },
    decisions: [],
    ...over,
  };
}

describe('standingSignOff (decisions newest first)', () => {
  it('is pending without decisions, and for other versions', () => {
    expect(standingSignOff([], 'v1.2.0-rc.2', QA)).toEqual({
      status: 'pending',
      groups: QA,
    });
    expect(
      standingSignOff(
        [d({ decision: 'verified', version: 'v1.2.0-rc.1' })],
        'v1.2.0-rc.2',
        QA,
      ).status,
    ).toBe('pending');
  });

  it('the last decision of the latest round stands; a request revokes it', () => {
    const verified = d({ decision: 'verified', decidedAt: ago(60) });
    const failed = d({ decision: 'failed', decidedAt: ago(30), comment: 'x' });
    expect(standingSignOff([verified], 'v1.2.0-rc.2', QA)).toMatchObject({
      status: 'verified',
      decision: verified,
    });
    expect(
      standingSignOff([failed, verified], 'v1.2.0-rc.2', QA),
    ).toMatchObject({ status: 'failed', decision: failed });
    const request = d({ decision: 'requested', round: 1, decidedAt: ago(10) });
    expect(
      standingSignOff([request, failed, verified], 'v1.2.0-rc.2', QA).status,
    ).toBe('pending');
    const again = d({ decision: 'verified', round: 1, decidedAt: ago(5) });
    expect(
      standingSignOff([again, request, failed, verified], 'v1.2.0-rc.2', QA),
    ).toMatchObject({ status: 'verified', decision: again });
  });
});

describe('automatedVerdict', () => {
  const both = { postSyncHooks: true, soakMs: 30 * 60_000 };

  it('passes with succeeded PostSync hooks and the soak time over', () => {
    expect(automatedVerdict(both, facts(), NOW)).toEqual({
      status: 'pass',
      message:
        'its PostSync hooks succeeded (Job/api-smoke-test); it has been Healthy for 3 h (soak time 30 min)',
      postSyncHooks: {
        required: true,
        hooks: [{ kind: 'Job', name: 'api-smoke-test', phase: 'Succeeded' }],
      },
      soakMs: 30 * 60_000,
      healthySince: ago(180),
    });
  });

  it('fails on a failed hook, naming it and its message', () => {
    const r = automatedVerdict(
      both,
      facts({
        lastSync: {
          phase: 'Failed',
          revisions: [REV],
          postSyncHooks: [
            {
              kind: 'Job',
              name: 'api-smoke-test',
              phase: 'Failed',
              message: 'Job has reached the specified backoff limit',
            },
          ],
        },
      }),
      NOW,
    );
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      'PostSync hook Job/api-smoke-test Failed (Job has reached the specified backoff limit); it has been Healthy for 3 h (soak time 30 min)',
    );
  });

  it('fails when the sync ran no PostSync hook, or is not the one that deployed the version', () => {
    expect(
      automatedVerdict(
        both,
        facts({
          lastSync: { phase: 'Succeeded', revisions: [REV], postSyncHooks: [] },
        }),
        NOW,
      ).message,
    ).toMatch(/^the sync that deployed v1\.2\.0-rc\.2 ran no PostSync hook;/);
    expect(
      automatedVerdict(
        both,
        facts({
          lastSync: {
            phase: 'Succeeded',
            revisions: ['b'.repeat(40)],
            postSyncHooks: [],
          },
        }),
        NOW,
      ),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^the last sync of staging is not the one that deployed v1\.2\.0-rc\.2 \(it synced bbbbbbb\), so its PostSync hooks are unknown/,
      ),
    });
    expect(
      automatedVerdict(both, facts({ lastSync: undefined }), NOW).message,
    ).toMatch(/^Argo CD has no sync result for v1\.2\.0-rc\.2 in staging/);
  });

  it('is pending while the sync runs or the soak time is not over', () => {
    expect(
      automatedVerdict(
        both,
        facts({
          lastSync: { phase: 'Running', revisions: [REV], postSyncHooks: [] },
        }),
        NOW,
      ).status,
    ).toBe('pending');
    const r = automatedVerdict(both, facts({ healthySince: ago(10) }), NOW);
    expect(r.status).toBe('pending');
    expect(r.message).toBe(
      'its PostSync hooks succeeded (Job/api-smoke-test); it has been Healthy for 10 min only; the soak time is 30 min (enough at Tue 10:20 UTC)',
    );
  });

  it('fails when Degraded or not Healthy; soak only needs no hooks', () => {
    const soakOnly = { postSyncHooks: false, soakMs: 60_000 };
    expect(
      automatedVerdict(soakOnly, facts({ degradedAt: ago(20) }), NOW),
    ).toMatchObject({
      status: 'fail',
      message: `v1.2.0-rc.2 was Degraded in staging (seen ${ago(20)})`,
    });
    expect(
      automatedVerdict(
        soakOnly,
        facts({ health: 'Degraded', healthySince: undefined }),
        NOW,
      ),
    ).toMatchObject({ status: 'fail', message: 'staging is Degraded' });
    expect(
      automatedVerdict(soakOnly, facts({ healthySince: undefined }), NOW),
    ).toMatchObject({
      status: 'fail',
      message:
        'staging is Healthy, but since when is unknown, so the soak time of 1 min cannot be confirmed',
    });
    expect(
      automatedVerdict(
        { postSyncHooks: false, soakMs: 0 },
        facts({ healthySince: undefined }),
        NOW,
      ),
    ).toMatchObject({ status: 'pass', message: 'it is Healthy' });
    const ok = automatedVerdict(soakOnly, facts({ lastSync: undefined }), NOW);
    expect(ok.status).toBe('pass');
    expect(ok).not.toHaveProperty('postSyncHooks');
  });
});

describe('verificationCheck (verified-in-<env>)', () => {
  const signOff = staging({ signOff: { groups: QA } });

  it('passes for the rc verified in staging, for prod v1.2.0 (same X.Y.Z)', () => {
    expect(
      verificationCheck(
        signOff,
        'v1.2.0',
        facts({ decisions: [d({ decision: 'verified' })] }),
        NOW,
      ),
    ).toEqual({
      id: 'verified-in-staging',
      status: 'pass',
      message: 'v1.2.0-rc.2 was verified in staging by erin 2 h ago',
    });
  });

  it('fails with the comment when QA failed it', () => {
    expect(
      verificationCheck(
        signOff,
        'v1.2.0',
        facts({
          decisions: [
            d({
              decision: 'failed',
              comment: 'checkout broken',
              decidedAt: ago(5),
            }),
            d({ decision: 'verified' }),
          ],
        }),
        NOW,
      ),
    ).toEqual({
      id: 'verified-in-staging',
      status: 'fail',
      field: 'version',
      message:
        'v1.2.0-rc.2 failed QA in staging: checkout broken (erin, 5 min ago)',
    });
  });

  it('fails while the running rc is not signed off, naming an earlier verified rc', () => {
    const r = verificationCheck(
      signOff,
      'v1.2.0',
      facts({
        running: 'v1.2.0-rc.3',
        decisions: [d({ decision: 'verified', version: 'v1.2.0-rc.2' })],
      }),
      NOW,
    );
    expect(r).toMatchObject({ status: 'fail', field: 'version' });
    expect(r.message).toBe(
      'v1.2.0-rc.3 has not been signed off in staging yet (needs "verified" from group:default/qa); v1.2.0-rc.2 was, but v1.2.0-rc.3 replaced it',
    );
  });

  it('judges the newest decided rc of the X.Y.Z when staging runs another version', () => {
    const r = verificationCheck(
      signOff,
      'v1.2.0',
      facts({
        running: 'v1.3.0-rc.1',
        decisions: [
          d({
            decision: 'verified',
            version: 'v1.2.0-rc.3',
            decidedAt: ago(60),
          }),
          d({ decision: 'failed', version: 'v1.2.0-rc.2', comment: 'no' }),
        ],
      }),
      NOW,
    );
    expect(r).toMatchObject({
      status: 'pass',
      message: 'v1.2.0-rc.3 was verified in staging by erin 1 h ago',
    });
  });

  it('fails when no version of the X.Y.Z was verified, or it is not semver, or facts are missing', () => {
    expect(verificationCheck(signOff, 'v9.9.9', facts(), NOW).message).toBe(
      'no 9.9.9 version was verified in staging (staging runs v1.2.0-rc.2)',
    );
    expect(verificationCheck(signOff, 'latest', facts(), NOW)).toMatchObject({
      status: 'fail',
      message:
        "'latest' is not a semantic version, so it cannot be matched to what was verified in staging",
    });
    expect(verificationCheck(signOff, 'v1.2.0', undefined, NOW).message).toBe(
      'the verification of staging could not be read, so v1.2.0 cannot be shown verified there',
    );
    expect(
      verificationCheck(staging(undefined), 'v1.2.0', facts(), NOW).message,
    ).toBe('staging configures no verification');
  });

  it('with sign-off and automated: both must hold, both are said', () => {
    const full = staging({
      signOff: { groups: QA },
      automated: { postSyncHooks: true, soakMs: 30 * 60_000 },
    });
    const decisions = [d({ decision: 'verified' })];
    expect(
      verificationCheck(full, 'v1.2.0', facts({ decisions }), NOW).message,
    ).toBe(
      'v1.2.0-rc.2 was verified in staging by erin 2 h ago; its PostSync hooks succeeded (Job/api-smoke-test); it has been Healthy for 3 h (soak time 30 min)',
    );
    expect(
      verificationCheck(
        full,
        'v1.2.0',
        facts({ decisions, healthySince: ago(10) }),
        NOW,
      ),
    ).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(
        /^v1\.2\.0-rc\.2 is not verified in staging yet: its PostSync hooks succeeded \(Job\/api-smoke-test\); it has been Healthy for 10 min only/,
      ),
    });
    // automated is judged on the running version only
    expect(
      verificationCheck(
        full,
        'v1.2.0',
        facts({ decisions, running: 'v1.3.0-rc.1' }),
        NOW,
      ).message,
    ).toBe(
      "staging runs v1.3.0-rc.1, not v1.2.0-rc.2, so Argo CD's verification of v1.2.0-rc.2 is unknown",
    );
  });

  it('automated only', () => {
    const auto = staging({ automated: { postSyncHooks: true, soakMs: 0 } });
    expect(verificationCheck(auto, 'v1.2.0', facts(), NOW)).toEqual({
      id: 'verified-in-staging',
      status: 'pass',
      message:
        "v1.2.0-rc.2 passed staging's automated verification: its PostSync hooks succeeded (Job/api-smoke-test); it has been Healthy for 3 h",
    });
  });
});
