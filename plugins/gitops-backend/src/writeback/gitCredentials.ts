import {
  DefaultGithubCredentialsProvider,
  DefaultGitlabCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';

/** HTTP basic credentials for a git remote. Secret: never log it. @internal */
export interface GitHttpCredentials {
  username: string;
  password: string;
}

/**
 * Credentials for an https git remote from Backstage's `integrations`
 * config (the same entries the catalog and scaffolder use): GitHub tokens
 * and GitHub Apps, GitLab tokens, Bitbucket Cloud/Server, Gitea and Gerrit.
 * Undefined for local paths, `file:` URLs and hosts without an integration
 * (git then uses its own credential helpers).
 *
 * @internal
 */
export async function resolveGitCredentials(
  integrations: ScmIntegrationRegistry,
  remote: string,
): Promise<GitHttpCredentials | undefined> {
  if (!/^https?:\/\//i.test(remote)) {
    return undefined;
  }
  const integration = integrations.byUrl(remote);
  if (!integration) {
    return undefined;
  }
  switch (integration.type) {
    case 'github': {
      const { token } = await DefaultGithubCredentialsProvider.fromIntegrations(
        integrations,
      ).getCredentials({ url: remote });
      return token
        ? { username: 'x-access-token', password: token }
        : undefined;
    }
    case 'gitlab': {
      const { token } = await DefaultGitlabCredentialsProvider.fromIntegrations(
        integrations,
      ).getCredentials({ url: remote });
      return token ? { username: 'oauth2', password: token } : undefined;
    }
    case 'bitbucketCloud': {
      const c = integrations.bitbucketCloud.byUrl(remote)!.config;
      if (c.username && c.appPassword)
        return { username: c.username, password: c.appPassword };
      if (c.token) return { username: 'x-token-auth', password: c.token };
      return undefined;
    }
    case 'bitbucketServer': {
      const c = integrations.bitbucketServer.byUrl(remote)!.config;
      if (c.username && c.password)
        return { username: c.username, password: c.password };
      if (c.token)
        return { username: c.username ?? 'x-token-auth', password: c.token };
      return undefined;
    }
    case 'gitea':
    case 'gerrit': {
      const c =
        integration.type === 'gitea'
          ? integrations.gitea.byUrl(remote)!.config
          : integrations.gerrit.byUrl(remote)!.config;
      return c.username && c.password
        ? { username: c.username, password: c.password }
        : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Environment variables that hand the credentials to the git binary as an
 * `http.extraHeader` for this invocation only (`GIT_CONFIG_COUNT`, git ≥ 2.31):
 * nothing is written to `.git/config` or the remote URL, and nothing shows
 * in the process list.
 *
 * @internal
 */
export function gitAuthEnv(
  credentials: GitHttpCredentials | undefined,
): Record<string, string> {
  if (!credentials) {
    return {};
  }
  const basic = Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64');
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}
