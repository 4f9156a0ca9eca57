import { ConfigReader } from '@backstage/config';
import { readGitSettings, readWriteBackSpec, valuesFilePath } from './config';

describe('write-back config', () => {
  it('resolves local repository paths against the working directory', () => {
    const s = readGitSettings(
      new ConfigReader({
        gitops: {
          git: {
            repositories: [
              { name: 'gitops', url: '../../.gitops-data/gitops-repo' },
              {
                name: 'remote',
                url: 'https://git.example.com/org/gitops.git',
                branch: 'release',
              },
            ],
            workDir: '.gitops-data/work',
          },
        },
      }),
      '/srv/app/packages/backend',
    );
    expect(s.repositories).toEqual([
      {
        name: 'gitops',
        url: '/srv/app/.gitops-data/gitops-repo',
        branch: 'main',
      },
      {
        name: 'remote',
        url: 'https://git.example.com/org/gitops.git',
        branch: 'release',
      },
    ]);
    expect(s.workDir).toBe('/srv/app/packages/backend/.gitops-data/work');
    expect(s.temporaryWorkDir).toBe(false);
    expect(s.maxPushAttempts).toBe(5);
  });

  it('names the key and the reason for a wrong config', () => {
    expect(() =>
      readGitSettings(
        new ConfigReader({
          gitops: { git: { repositories: [{ name: 'a', url: 'ftp://x/y' }] } },
        }),
      ),
    ).toThrow(
      "Invalid config at 'gitops.git.repositories[0].url': unsupported scheme in 'ftp://x/y'",
    );
    const env = (writeBack: object) => new ConfigReader({ writeBack });
    expect(() =>
      readWriteBackSpec(
        env({ method: 'git', repository: 'other', path: 'a.yaml' }),
        'p.environments[0]',
        ['gitops'],
      ),
    ).toThrow(
      "Invalid config at 'p.environments[0].writeBack.repository': repository 'other' is not defined under gitops.git.repositories (defined: gitops)",
    );
    expect(() =>
      readWriteBackSpec(
        env({ method: 'git', repository: 'gitops', path: '../x.yaml' }),
        'p',
        ['gitops'],
      ),
    ).toThrow('must be a relative path inside the repository');
    expect(() =>
      readWriteBackSpec(
        env({ method: 'git', repository: 'gitops', path: 'apps/{team}.yaml' }),
        'p',
        ['gitops'],
      ),
    ).toThrow('unknown placeholder {team}');
    expect(() => readWriteBackSpec(env({ method: 'helm' }), 'p', [])).toThrow(
      "'helm' is not a write-back method",
    );
  });

  it('reads both methods and fills the path template', () => {
    expect(
      readWriteBackSpec(
        new ConfigReader({ writeBack: { method: 'argocd' } }),
        'p',
        [],
      ),
    ).toEqual({
      method: 'argocd',
      parameter: 'image.tag',
    });
    expect(readWriteBackSpec(new ConfigReader({}), 'p', [])).toBeUndefined();
    expect(
      valuesFilePath('apps/{app}-{env}/values.yaml', {
        app: 'api',
        env: 'prod',
        appName: 'api-prod',
      }),
    ).toBe('apps/api-prod/values.yaml');
    expect(
      valuesFilePath('apps/{appName}/values.yaml', {
        env: 'prod',
        appName: 'x-prod',
      }),
    ).toBe('apps/x-prod/values.yaml');
  });
});
