import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { gitAuthEnv, resolveGitCredentials } from './gitCredentials';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.com', token: 'ghp_secret' }],
      gitlab: [
        {
          host: 'gitlab.example.com',
          token: 'glpat_secret',
          apiBaseUrl: 'https://gitlab.example.com/api/v4',
        },
      ],
      bitbucketServer: [{ host: 'bitbucket.example.com', token: 'bb_secret' }],
    },
  }),
);

describe('git credentials from integrations', () => {
  it('maps each integration to HTTP basic credentials', async () => {
    await expect(
      resolveGitCredentials(integrations, 'https://github.com/org/gitops.git'),
    ).resolves.toEqual({
      username: 'x-access-token',
      password: 'ghp_secret',
    });
    await expect(
      resolveGitCredentials(
        integrations,
        'https://gitlab.example.com/platform/gitops.git',
      ),
    ).resolves.toEqual({
      username: 'oauth2',
      password: 'glpat_secret',
    });
    await expect(
      resolveGitCredentials(
        integrations,
        'https://bitbucket.example.com/scm/p/gitops.git',
      ),
    ).resolves.toEqual({
      username: 'x-token-auth',
      password: 'bb_secret',
    });
  });

  it('has none for local paths and unknown hosts', async () => {
    await expect(
      resolveGitCredentials(integrations, '/srv/gitops-repo'),
    ).resolves.toBeUndefined();
    await expect(
      resolveGitCredentials(integrations, 'https://git.unknown.example/x.git'),
    ).resolves.toBeUndefined();
  });

  it('hands them to git as a per-call header in the environment, never in the URL', () => {
    const env = gitAuthEnv({
      username: 'x-access-token',
      password: 'ghp_secret',
    });
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraHeader',
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
        'x-access-token:ghp_secret',
      ).toString('base64')}`,
    });
    expect(gitAuthEnv(undefined)).toEqual({});
  });
});
