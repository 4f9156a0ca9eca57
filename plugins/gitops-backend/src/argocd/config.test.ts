import { ConfigReader } from '@backstage/config';
import { readArgoCdInstances } from './config';

describe('readArgoCdInstances', () => {
  it('reads gitops.argocd.instances and the community plugin keys', () => {
    const instances = readArgoCdInstances(
      new ConfigReader({
        gitops: {
          argocd: {
            instances: [
              {
                name: 'a',
                url: 'https://a.example.com/',
                token: 't',
                timeout: '3s',
                concurrency: 2,
              },
            ],
          },
        },
        argocd: {
          username: 'u',
          password: 'p',
          appLocatorMethods: [
            { type: 'other' },
            {
              type: 'config',
              instances: [
                { name: 'a', url: 'https://ignored.example.com', token: 'x' },
                {
                  name: 'b',
                  url: 'https://b.example.com',
                  frontendUrl: 'https://ui.b.example.com',
                  username: 'bu',
                  password: 'bp',
                },
                { name: 'c', url: 'https://c.example.com' },
              ],
            },
          ],
        },
      }),
    );
    expect(
      instances.map(i => [
        i.name,
        i.url,
        i.externalUrl,
        i.timeoutMs,
        i.concurrency,
        !!i.token,
        i.username,
      ]),
    ).toEqual([
      [
        'a',
        'https://a.example.com',
        'https://a.example.com',
        3000,
        2,
        true,
        undefined,
      ],
      [
        'b',
        'https://b.example.com',
        'https://ui.b.example.com',
        10000,
        8,
        false,
        'bu',
      ],
      [
        'c',
        'https://c.example.com',
        'https://c.example.com',
        10000,
        8,
        false,
        'u',
      ],
    ]);
  });

  it.each([
    [
      { name: 'a', url: 'https://a.example.com' },
      "gitops.argocd.instances[0]'",
      "needs either 'token' or both",
    ],
    [
      { name: 'a', url: 'not a url', token: 't' },
      "gitops.argocd.instances[0].url'",
      'not an absolute URL',
    ],
    [
      { name: 'a', url: 'https://a', token: 't', concurrency: 0 },
      'concurrency',
      'positive integer',
    ],
    [
      { name: 'a', url: 'https://a', token: 't', timeout: 'soon' },
      'timeout',
      "Invalid duration 'soon'",
    ],
  ])('fails naming the key and the reason (%#)', (instance, key, reason) => {
    const read = () =>
      readArgoCdInstances(
        new ConfigReader({ gitops: { argocd: { instances: [instance] } } }),
      );
    expect(read).toThrow(key);
    expect(read).toThrow(reason);
  });

  it('refuses duplicate names under gitops', () => {
    const read = () =>
      readArgoCdInstances(
        new ConfigReader({
          gitops: {
            argocd: {
              instances: [
                { name: 'a', url: 'https://a', token: 't' },
                { name: 'a', url: 'https://b', token: 't' },
              ],
            },
          },
        }),
      );
    expect(read).toThrow("duplicate instance name 'a'");
  });
});
