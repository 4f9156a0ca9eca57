import { ConfigReader } from '@backstage/config';
import { GitopsConfigError } from './errors';
import { readGitopsConfig } from './readGitopsConfig';

const SECRET = 'url-SECRET-pass';

function readError(data: object): GitopsConfigError {
  try {
    readGitopsConfig(new ConfigReader(data));
  } catch (e) {
    if (e instanceof GitopsConfigError) return e;
    throw e;
  }
  throw new Error('expected a GitopsConfigError');
}

describe('credentials in URLs are refused at startup with the key path', () => {
  it.each([
    [
      {
        argocd: {
          instances: [
            {
              name: 'main',
              url: `https://admin:${SECRET}@argocd.example.com`,
              token: 't',
            },
          ],
        },
      },
      'gitops.argocd.instances[0].url',
    ],
    [
      {
        argocd: {
          instances: [
            {
              name: 'main',
              url: 'https://argocd.example.com',
              externalUrl: `https://viewer:${SECRET}@argocd.example.com`,
              token: 't',
            },
          ],
        },
      },
      'gitops.argocd.instances[0].externalUrl',
    ],
    [
      {
        helm: {
          clusters: [{ name: 'k', url: `https://x:${SECRET}@k8s.example.com` }],
        },
      },
      'gitops.helm.clusters[0].url',
    ],
    [
      {
        git: {
          repositories: [
            { name: 'g', url: `https://bot:${SECRET}@git.example.com/g.git` },
          ],
        },
      },
      'gitops.git.repositories[0].url',
    ],
  ])('%#: %s', (gitops, key) => {
    const e = readError({ gitops });
    expect(e.message).toContain(
      `Invalid config at '${key}': must not contain credentials`,
    );
    expect(`${e.message} ${JSON.stringify(e)}`).not.toContain(SECRET);
  });

  it('keeps the argocd community keys under the same rule', () => {
    const e = readError({
      argocd: {
        appLocatorMethods: [
          {
            type: 'config',
            instances: [
              {
                name: 'c',
                url: `https://u:${SECRET}@argo.example.com`,
                token: 't',
              },
            ],
          },
        ],
      },
    });
    expect(e.message).toContain(
      "Invalid config at 'argocd.appLocatorMethods[0].instances[0].url': must not contain credentials",
    );
  });

  it('accepts an ssh user name in a git URL', () => {
    expect(() =>
      readGitopsConfig(
        new ConfigReader({
          gitops: {
            git: {
              repositories: [
                { name: 'g', url: 'ssh://git@git.example.com/g.git' },
              ],
            },
          },
        }),
      ),
    ).not.toThrow(/credentials/);
  });
});
