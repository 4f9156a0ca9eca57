/*
 * The registry client against a REAL registry process (Debian's
 * docker-registry, distribution 2.8, see __testUtils__/testRegistry.ts):
 * the example images pushed through the API v2 (seed of the emulator), then
 * exists / missing / digest / tags; and behind htpasswd (basic) and token
 * (bearer) auth.
 */
import {
  pushImage,
  pushImages,
  seedImage,
  seedImages,
} from '@internal/argocd-emulator';
import { RegistryConfig } from './config';
import { registryErrorInfo } from './errors';
import { RegistryClient } from './RegistryClient';
import {
  TEST_PASSWORD,
  TEST_USER,
  TestRegistry,
  registryUnavailable,
  startTestRegistry,
} from './__testUtils__/testRegistry';

// a real registry process is started and seeded in beforeAll: slow on a busy machine
jest.setTimeout(60_000);

const skip = registryUnavailable();
const maybe = skip ? describe.skip : describe;

function config(r: TestRegistry, over: Partial<RegistryConfig> = {}) {
  return {
    host: 'example.org',
    url: r.url,
    auth: 'anonymous' as const,
    timeoutMs: 5000,
    ...over,
  };
}

maybe('RegistryClient with a real registry (anonymous)', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startTestRegistry();
    await pushImages({ url: reg.url }, seedImages());
  });
  afterAll(() => reg?.stop());

  it('the seeded tags exist with their digests; the rc and the release of 1.2.0 share one; the unbuilt tag is missing', async () => {
    const c = new RegistryClient({ registries: [config(reg)] });
    const repo = 'example.org/shop/python-api-base';
    const rc2 = await c.manifest(repo, 'v1.2.0-rc.2');
    const release = await c.manifest(repo, 'v1.2.0');
    const rc1 = await c.manifest(repo, 'v1.2.0-rc.1');
    expect(rc2?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(rc2?.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(release?.digest).toBe(rc2?.digest);
    expect(rc1?.digest).not.toBe(release?.digest);
    // the digest is the one the seed computed for the manifest it pushed
    const seeded = seedImages().find(
      i => i.repository === 'shop/python-api-base' && i.tags.includes('v1.2.0'),
    );
    expect(release?.digest).toBe(seeded?.manifest.digest);
    await expect(c.manifest(repo, 'v1.3.0-rc.9')).resolves.toBeUndefined();
    await expect(
      c.manifest('example.org/shop/never-pushed', 'v1'),
    ).resolves.toBeUndefined();
  });

  it('tags: every page through the Link header (page size 5)', async () => {
    const c = new RegistryClient({ registries: [config(reg)], pageSize: 5 });
    const tags = await c.tags('example.org/shop/python-api-base');
    expect([...tags].sort()).toEqual(
      [
        'v1.1.2',
        'v1.1.3',
        'v1.1.4',
        'v1.1.4-dev.2',
        'v1.1.4-rc.1',
        'v1.1.4-rc.2',
        'v1.2.0',
        'v1.2.0-dev.1',
        'v1.2.0-dev.2',
        'v1.2.0-dev.3',
        'v1.2.0-rc.1',
        'v1.2.0-rc.2',
      ].sort(),
    );
    await expect(c.tags('example.org/shop/never-pushed')).resolves.toEqual([]);
  });

  it('a stopped registry is unreachable', async () => {
    const other = await startTestRegistry();
    const c = new RegistryClient({ registries: [config(other)] });
    await other.stop();
    const err = await c.manifest('example.org/shop/x', 'v1').catch(e => e);
    expect(registryErrorInfo(err)?.code).toBe('unreachable');
  });
});

maybe('RegistryClient with a real registry behind htpasswd (basic)', () => {
  let reg: TestRegistry;
  const image = seedImage('shop/private', 'v2.0.0-rc.1', [
    'v2.0.0-rc.1',
    'v2.0.0',
  ]);
  beforeAll(async () => {
    reg = await startTestRegistry('basic');
    await pushImage(
      { url: reg.url, authorization: reg.pushAuthorization('shop/private') },
      image,
    );
  });
  afterAll(() => reg?.stop());

  it('with the account: digest and tags; anonymous or a wrong password: unauthenticated', async () => {
    const c = new RegistryClient({
      registries: [
        config(reg, {
          auth: 'basic',
          username: TEST_USER,
          password: TEST_PASSWORD,
        }),
      ],
    });
    await expect(
      c.manifest('example.org/shop/private', 'v2.0.0'),
    ).resolves.toMatchObject({
      digest: image.manifest.digest,
    });
    await expect(c.tags('example.org/shop/private')).resolves.toEqual(
      expect.arrayContaining(['v2.0.0', 'v2.0.0-rc.1']),
    );
    const anonymous = new RegistryClient({ registries: [config(reg)] });
    const e1 = await anonymous
      .manifest('example.org/shop/private', 'v2.0.0')
      .catch(e => e);
    expect(registryErrorInfo(e1)?.code).toBe('unauthenticated');
    const wrong = new RegistryClient({
      registries: [
        config(reg, { auth: 'basic', username: TEST_USER, password: 'wrong' }),
      ],
    });
    const e2 = await wrong
      .manifest('example.org/shop/private', 'v2.0.0')
      .catch(e => e);
    expect(registryErrorInfo(e2)?.code).toBe('unauthenticated');
  });
});

maybe('RegistryClient with a real registry behind token auth (bearer)', () => {
  let reg: TestRegistry;
  const image = seedImage('shop/tokened', 'v3.1.0-rc.2', [
    'v3.1.0-rc.2',
    'v3.1.0',
  ]);
  beforeAll(async () => {
    reg = await startTestRegistry('token');
    await pushImage(
      { url: reg.url, authorization: reg.pushAuthorization('shop/tokened') },
      image,
    );
  });
  afterAll(() => reg?.stop());

  it('challenge → token endpoint with the account → digest; the token is reused for the scope', async () => {
    const c = new RegistryClient({
      registries: [
        config(reg, {
          auth: 'bearer',
          username: TEST_USER,
          password: TEST_PASSWORD,
        }),
      ],
    });
    await expect(
      c.manifest('example.org/shop/tokened', 'v3.1.0'),
    ).resolves.toMatchObject({
      digest: image.manifest.digest,
    });
    await expect(
      c.manifest('example.org/shop/tokened', 'v3.1.0-rc.2'),
    ).resolves.toMatchObject({
      digest: image.manifest.digest,
    });
    await expect(
      c.manifest('example.org/shop/tokened', 'v9'),
    ).resolves.toBeUndefined();
    await expect(c.tags('example.org/shop/tokened')).resolves.toEqual(
      expect.arrayContaining(['v3.1.0', 'v3.1.0-rc.2']),
    );
    expect(reg.tokenRequests).toEqual([
      {
        scope: 'repository:shop/tokened:pull',
        service: 'test-registry',
        basic: true,
      },
    ]);
  });

  it('a wrong password: the token endpoint refuses, unauthenticated', async () => {
    const c = new RegistryClient({
      registries: [
        config(reg, { auth: 'bearer', username: TEST_USER, password: 'wrong' }),
      ],
    });
    const err = await c
      .manifest('example.org/shop/tokened', 'v3.1.0')
      .catch(e => e);
    expect(registryErrorInfo(err)?.code).toBe('unauthenticated');
  });
});
