import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { readGitopsConfig } from '../config/readGitopsConfig';
import { readRegistries } from './config';

const read = (registries: JsonValue | undefined) =>
  readRegistries(new ConfigReader({ gitops: { registries } }));

function pipelineConfig(prod: Record<string, unknown>, dev = {}) {
  return new ConfigReader({
    gitops: {
      pipelines: {
        standard: {
          environments: [
            { name: 'dev', ...dev },
            { name: 'staging', promotesFrom: 'dev' },
            { name: 'prod', promotesFrom: 'staging', ...prod },
          ],
        },
      },
    },
  });
}

describe('gitops.registries', () => {
  it('reads host, url, auth and credentials; defaults: https://<host>, auth from the credentials, 5 s', () => {
    expect(
      read([
        { host: 'Images.Example.NET' },
        {
          host: 'images.example.org:5000',
          url: 'http://localhost:7082/',
          username: 'robot',
          password: 'pw',
          timeout: '2s',
        },
        { host: 'quay.io', token: 't' },
        { host: 'hub.example', auth: 'bearer', username: 'u', password: 'p' },
      ]),
    ).toEqual([
      {
        host: 'images.example.net',
        url: 'https://images.example.net',
        auth: 'anonymous',
        timeoutMs: 5000,
      },
      {
        host: 'images.example.org:5000',
        url: 'http://localhost:7082',
        auth: 'basic',
        username: 'robot',
        password: 'pw',
        timeoutMs: 2000,
      },
      {
        host: 'quay.io',
        url: 'https://quay.io',
        auth: 'bearer',
        token: 't',
        timeoutMs: 5000,
      },
      {
        host: 'hub.example',
        url: 'https://hub.example',
        auth: 'bearer',
        username: 'u',
        password: 'p',
        timeoutMs: 5000,
      },
    ]);
    expect(read(undefined)).toEqual([]);
  });

  it.each([
    [
      { host: 'https://images.example.net' },
      "gitops.registries[0].host': 'https://images.example.net' is not a registry host",
    ],
    [
      { host: 'x.io', url: 'ftp://x.io' },
      "gitops.registries[0].url': only http and https URLs",
    ],
    [
      { host: 'x.io', url: 'https://u:p@x.io' },
      "gitops.registries[0].url': must not contain credentials",
    ],
    [
      { host: 'x.io', username: 'u' },
      "gitops.registries[0]': 'username' and 'password' go together",
    ],
    [
      { host: 'x.io', token: 't', username: 'u', password: 'p' },
      "give either 'token' or 'username'/'password'",
    ],
    [
      { host: 'x.io', auth: 'digest' },
      "gitops.registries[0].auth': 'digest' is not one of anonymous, basic, bearer",
    ],
    [
      { host: 'x.io', auth: 'anonymous', token: 't' },
      'anonymous access takes no credentials',
    ],
    [
      { host: 'x.io', auth: 'basic' },
      "basic auth needs 'username' and 'password'",
    ],
    [
      { host: 'x.io', timeout: '0s' },
      "gitops.registries[0].timeout': must be longer than 0",
    ],
  ])('refuses %j', (entry, message) => {
    expect(() => read([entry as JsonValue])).toThrow(message);
  });

  it('a host configured twice is refused; a password never appears in the error', () => {
    expect(() =>
      read([
        { host: 'x.io', username: 'u', password: 'SECRET-pw' },
        { host: 'X.io' },
      ]),
    ).toThrow(
      "gitops.registries[1].host': registry host 'x.io' is configured twice",
    );
    expect(() =>
      read([
        { host: 'x.io', username: 'u', password: 'SECRET-pw', url: 'nope' },
      ]),
    ).toThrow(/^(?![\s\S]*SECRET)[\s\S]*'nope' is not an absolute URL/);
  });

  it('the example app-config has the local registry for example.org, and prod requires the same digest', () => {
    const config = readGitopsConfig(loadExampleAppConfig());
    expect(config.registries).toEqual([
      {
        host: 'example.org',
        url: 'http://localhost:7082',
        auth: 'anonymous',
        timeoutMs: 5000,
      },
    ]);
    const prod = config.policies.pipelines
      .get('standard')!
      .environments.find(e => e.name === 'prod')!;
    expect(prod).toMatchObject({
      requireImageExists: true,
      requireSameDigest: true,
    });
  });
});

describe('environment image rules (requireImageExists, requireSameDigest)', () => {
  const prodOf = (c: ConfigReader) =>
    readGitopsConfig(c)
      .policies.pipelines.get('standard')!
      .environments.find(e => e.name === 'prod')!;

  it('requireSameDigest implies requireImageExists; neither is set by default', () => {
    expect(prodOf(pipelineConfig({ requireSameDigest: true }))).toMatchObject({
      requireImageExists: true,
      requireSameDigest: true,
    });
    const only = prodOf(pipelineConfig({ requireImageExists: true }));
    expect(only.requireImageExists).toBe(true);
    expect(only.requireSameDigest).toBeUndefined();
    const none = prodOf(pipelineConfig({}));
    expect(none.requireImageExists).toBeUndefined();
    expect(none.requireSameDigest).toBeUndefined();
  });

  it('refuses requireSameDigest without a previous environment, or with requireImageExists: false', () => {
    expect(() =>
      readGitopsConfig(pipelineConfig({}, { requireSameDigest: true })),
    ).toThrow(
      "Invalid config at 'gitops.pipelines.standard.environments[0].requireSameDigest': 'dev' has no promotesFrom",
    );
    expect(() =>
      readGitopsConfig(
        pipelineConfig({ requireSameDigest: true, requireImageExists: false }),
      ),
    ).toThrow(
      "Invalid config at 'gitops.pipelines.standard.environments[2].requireImageExists': requireSameDigest needs the image to exist",
    );
    expect(() =>
      readGitopsConfig(pipelineConfig({ requireSameDigest: [true] })),
    ).toThrow('gitops.pipelines.standard.environments[2].requireSameDigest');
  });
});
