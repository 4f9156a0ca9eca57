import { ConfigReader } from '@backstage/config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { GitopsConfigError, readGitopsConfig } from '../config';

function config(staging: object, prod: object = {}) {
  return new ConfigReader({
    gitops: {
      pipelines: {
        p: {
          environments: [
            { name: 'dev' },
            { name: 'staging', promotesFrom: 'dev', ...staging },
            { name: 'prod', promotesFrom: 'staging', ...prod },
          ],
        },
      },
    },
  });
}
const env = (c: ConfigReader, name: string) =>
  readGitopsConfig(c)
    .policies.pipelines.get('p')!
    .environments.find(e => e.name === name)!;

function problems(c: ConfigReader): Array<{ path: string; reason: string }> {
  try {
    readGitopsConfig(c);
  } catch (e) {
    if (e instanceof GitopsConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('verification config', () => {
  it('reads the example: staging signed off by qa with a PostSync hook, lineage; prod requires it', () => {
    const standard = readGitopsConfig(
      loadExampleAppConfig(),
    ).policies.pipelines.get('standard')!;
    const [, staging, prod] = standard.environments;
    expect(staging).toMatchObject({
      requireLineage: true,
      requireVerification: false,
      verification: {
        signOff: { groups: ['group:default/qa'] },
        automated: { postSyncHooks: true, soakMs: 0 },
      },
    });
    expect(prod).toMatchObject({ requireVerification: true });
    expect(prod.verification).toBeUndefined();
  });

  it('normalises group refs (kind defaults to group) and reads durations', () => {
    expect(
      env(
        config({
          verification: {
            signOff: {
              groups: ['QA', 'group:default/qa', 'user:default/Erin'],
            },
            automated: { soakTime: '30m' },
          },
        }),
        'staging',
      ).verification,
    ).toEqual({
      signOff: { groups: ['group:default/qa', 'user:default/erin'] },
      automated: { postSyncHooks: false, soakMs: 30 * 60_000 },
    });
  });

  it('names every wrong key with its path', () => {
    const path = 'gitops.pipelines.p.environments';
    expect(
      problems(
        config(
          { verification: { signOff: { groups: [] }, automated: {} } },
          { requireVerification: true },
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        {
          path: `${path}[1].verification.signOff.groups`,
          reason:
            'name at least one group (or user) ref whose members sign off, e.g. group:default/qa',
        },
      ]),
    );
    expect(
      problems(
        config({ verification: { automated: { postSyncHooks: false } } }),
      ),
    ).toEqual([
      {
        path: `${path}[1].verification.automated`,
        reason:
          'set postSyncHooks: true or a soakTime longer than 0, or leave automated out',
      },
    ]);
    expect(
      problems(
        config({
          verification: { signOff: { groups: ['component:default/x'] } },
        }),
      )[0],
    ).toMatchObject({
      path: `${path}[1].verification.signOff.groups[0]`,
      reason: expect.stringMatching(
        /^'component:default\/x' is not a group or user entity ref/,
      ),
    });
    expect(
      problems(
        config({ verification: { automated: { soakTime: 'soon' } } }),
      )[0],
    ).toMatchObject({
      path: `${path}[1].verification.automated.soakTime`,
    });
    expect(problems(config({ verification: {} }))).toEqual([
      {
        path: `${path}[1].verification`,
        reason:
          'set signOff, automated or both (an empty verification verifies nothing)',
      },
    ]);
    // prod requires what staging does not configure
    expect(problems(config({}, { requireVerification: true }))).toEqual([
      {
        path: `${path}[2].requireVerification`,
        reason: `'staging' configures no verification (set ${path}[1].verification)`,
      },
    ]);
  });

  it('requireVerification and requireLineage need a previous environment', () => {
    const c = new ConfigReader({
      gitops: {
        pipelines: {
          p: {
            environments: [
              { name: 'dev', requireVerification: true, requireLineage: true },
            ],
          },
        },
      },
    });
    expect(problems(c).map(p => p.path)).toEqual([
      'gitops.pipelines.p.environments[0].requireVerification',
      'gitops.pipelines.p.environments[0].requireLineage',
    ]);
  });
});
