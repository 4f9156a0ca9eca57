/*
 * The image checks end to end with a REAL registry (Debian's docker-registry,
 * see registry/__testUtils__/testRegistry.ts) seeded with the example images:
 * the policy service gathers the facts through the image port (ImageService
 * over the registry client) and judges prod promotions of the example
 * config; the dialog's tag list; basic auth and an unreachable registry.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { EnvironmentState, HistoryEntry } from '@internal/plugin-gitops-common';
import {
  pushImage,
  pushImages,
  seedImage,
  seedImages,
} from '@internal/argocd-emulator';
import { createImageFactsReader } from '../adapters/imageFacts';
import { readGitopsConfig } from '../config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { PolicyService } from '../policy';
import { RegistryConfig } from '../registry/config';
import { RegistryClient } from '../registry/RegistryClient';
import {
  TEST_PASSWORD,
  TEST_USER,
  TestRegistry,
  registryUnavailable,
  startTestRegistry,
} from '../registry/__testUtils__/testRegistry';
import { ImageService } from './ImageService';

// a real registry process is started and seeded in beforeAll: slow on a busy machine
jest.setTimeout(60_000);

const skip = registryUnavailable();
const maybe = skip ? describe.skip : describe;

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: { 'gitops/app': 'python-api-base' },
  },
  spec: {},
};
const REPO = 'example.org/shop/python-api-base';
// Tue 24 Nov 2026 10:00 UTC: inside the example's prod window
const NOW = new Date('2026-11-24T10:00:00Z');

function env(
  name: string,
  order: number,
  version: string,
  over: Partial<EnvironmentState> = {},
): EnvironmentState {
  return {
    name,
    order,
    version,
    images: [`${REPO}:${version}`],
    conditions: [],
    unhealthyResources: 0,
    health: { status: 'Healthy' },
    syncStatus: 'Synced',
    lastDeployedAt: '2026-11-23T10:00:00Z',
    healthySince: '2026-11-23T10:05:00Z',
    application: {
      name: `python-api-base-${name}`,
      instance: 'local',
      autoSync: name !== 'prod',
    },
    ...over,
  };
}

function readSide(
  stagingVersion: string,
  stagingHistory: string[] = [],
  helmReleases: string[] = [],
) {
  const environments = [
    env('dev', 0, 'v1.2.0-dev.3'),
    env('staging', 1, stagingVersion, { promotesFrom: 'dev' }),
    env('prod', 2, 'v1.1.4', { promotesFrom: 'staging' }),
  ];
  const history: Record<string, HistoryEntry[]> = {
    staging: stagingHistory.map((v, i) => ({
      source: 'argocd',
      id: String(i),
      version: v,
      deployedAt: `2026-11-0${i + 1}T10:00:00Z`,
      healthySince: `2026-11-0${i + 1}T10:05:00Z`,
    })),
  };
  // a Helm release of another workload (the migrations job) merged into the timeline
  history.staging.push(
    ...helmReleases.map(
      (v, i): HistoryEntry => ({
        source: 'helm',
        id: `helm-${i}`,
        version: v,
      }),
    ),
  );
  return {
    getEnvironments: async () => ({
      entityRef: 'component:default/python-api-base',
      pipeline: 'standard',
      environments,
    }),
    getHistory: async (_e: Entity, name: string) => ({
      items: history[name] ?? [],
      errors: [],
    }),
  };
}

function setup(
  registry: RegistryConfig,
  stagingVersion: string,
  stagingHistory: string[] = [],
  helmReleases: string[] = [],
  verified?: string[],
) {
  const config = readGitopsConfig(loadExampleAppConfig());
  const reader = readSide(stagingVersion, stagingHistory, helmReleases);
  const images = new ImageService({
    registry: new RegistryClient({ registries: [registry] }),
    state: reader,
    pipelines: config.pipelines,
    policies: config.policies,
    logger: mockServices.logger.mock(),
    ...(verified ? { verifiedVersions: async () => new Set(verified) } : {}),
  });
  const policy = PolicyService.create({
    policies: config.policies,
    reader: { ...reader, ...createImageFactsReader(images) },
    entities: { getEntity: async () => ENTITY },
    serviceCredentials: async () => mockCredentials.service(),
    logger: mockServices.logger.mock(),
  });
  const promote = async (version: string) => {
    const { evaluation } = await policy.evaluate(
      ENTITY,
      {
        kind: 'promote',
        environment: 'prod',
        version,
        sourceEnvironment: 'staging',
        requestedBy: 'user:default/alice',
        override: false,
      },
      { approvals: [], requesterClaims: ['user:default/alice'], now: NOW },
    );
    return Object.fromEntries(evaluation.checks.map(c => [c.id, c]));
  };
  return { images, promote };
}

const digestOf = (tag: string) =>
  seedImages().find(
    i => i.repository === 'shop/python-api-base' && i.tags.includes(tag),
  )!.manifest.digest;
const short = (d: string) => d.slice(0, 'sha256:'.length + 12);

maybe('image checks with a real registry (example images)', () => {
  let reg: TestRegistry;
  let registry: RegistryConfig;
  beforeAll(async () => {
    reg = await startTestRegistry();
    await pushImages({ url: reg.url }, seedImages());
    registry = {
      host: 'example.org',
      url: reg.url,
      auth: 'anonymous',
      timeoutMs: 5000,
    };
  });
  afterAll(() => reg?.stop());

  it('v1.2.0 with staging running v1.2.0-rc.2 (one build): image-exists and same-digest pass', async () => {
    const c = await setup(registry, 'v1.2.0-rc.2').promote('v1.2.0');
    expect(c['image-exists']).toEqual({
      id: 'image-exists',
      status: 'pass',
      message: `${REPO}:v1.2.0 exists in the registry (${short(
        digestOf('v1.2.0'),
      )})`,
    });
    expect(c['same-digest']).toEqual({
      id: 'same-digest',
      status: 'pass',
      message: `v1.2.0 is the same image (${short(
        digestOf('v1.2.0'),
      )}) as v1.2.0-rc.2, which runs in staging`,
    });
  });

  it('v1.2.0 while staging ran only v1.2.0-rc.1 (another build): same-digest refuses', async () => {
    const c = await setup(registry, 'v1.2.0-rc.1', ['v1.2.0-rc.1']).promote(
      'v1.2.0',
    );
    expect(c['image-exists'].status).toBe('pass');
    expect(c['same-digest']).toEqual({
      id: 'same-digest',
      status: 'fail',
      field: 'version',
      message: `v1.2.0 (${short(
        digestOf('v1.2.0'),
      )}) is not the image that ran in staging: v1.2.0-rc.1 is ${short(
        digestOf('v1.2.0-rc.1'),
      )}; prod takes only the bits that ran in staging`,
    });
  });

  it('a tag missing from the registry (v9.9.9, never built) is refused by image-exists', async () => {
    const c = await setup(registry, 'v1.2.0-rc.2').promote('v9.9.9');
    expect(c['image-exists']).toEqual({
      id: 'image-exists',
      status: 'fail',
      field: 'version',
      message: `${REPO}:v9.9.9 does not exist in the registry; push the image before promoting it to prod`,
    });
  });

  it('the dialog: prod-acceptable tags newest first, with digests; v1.2.0 ran in staging as v1.2.0-rc.2, v1.1.4 as v1.1.4-rc.2; a Helm row does not count', async () => {
    const { images } = setup(
      registry,
      'v1.2.0-rc.2',
      ['v1.1.4-rc.2', 'v1.2.0-rc.1', 'v1.2.0-rc.2'],
      ['v1.1.3'],
      ['v1.2.0-rc.2'],
    );
    const list = await images.tags(ENTITY, 'prod');
    expect(list.repository).toBe(REPO);
    expect(list.previousEnvironment).toBe('staging');
    expect(list.items.map(i => i.tag)).toEqual([
      'v1.2.0',
      'v1.1.4',
      'v1.1.3',
      'v1.1.2',
    ]);
    expect(list.items[0]).toEqual({
      tag: 'v1.2.0',
      digest: digestOf('v1.2.0'),
      ranInPrevious: true,
      ranAs: 'v1.2.0-rc.2',
      verified: true,
    });
    expect(list.items[1]).toMatchObject({
      tag: 'v1.1.4',
      ranInPrevious: true,
      ranAs: 'v1.1.4-rc.2',
      verified: false,
    });
    expect(list.items[2]).toMatchObject({
      tag: 'v1.1.3',
      ranInPrevious: false,
    });
    const staging = await images.tags(ENTITY, 'staging');
    expect(staging.items.map(i => i.tag)).toEqual([
      'v1.2.0-rc.2',
      'v1.2.0-rc.1',
      'v1.1.4-rc.2',
      'v1.1.4-rc.1',
    ]);
    const digests = await images.digests(ENTITY, 'staging');
    expect(digests.digests['v1.2.0-rc.2']).toBe(digestOf('v1.2.0-rc.2'));
  });

  it('a registry that is down: both checks fail as unavailable (never pass), the dialog says why', async () => {
    const down = await startTestRegistry();
    const cfg = { ...registry, url: down.url };
    await down.stop();
    const s = setup(cfg, 'v1.2.0-rc.2');
    const c = await s.promote('v1.2.0');
    expect(c['image-exists'].status).toBe('fail');
    expect(c['image-exists'].message).toMatch(
      /^unavailable: example.org\/shop\/python-api-base:v1.2.0 could not be checked \(registry example.org: HEAD manifest shop\/python-api-base:v1.2.0 failed: ECONNREFUSED\)/,
    );
    expect(c['same-digest'].status).toBe('fail');
    const list = await s.images.tags(ENTITY, 'prod');
    expect(list.items).toEqual([]);
    expect(list.unavailable).toMatch(
      /^registry example.org: GET tags of shop\/python-api-base failed/,
    );
  });

  it('no registry configured for the host: unavailable', async () => {
    const s = setup({ ...registry, host: 'other.example' }, 'v1.2.0-rc.2');
    const c = await s.promote('v1.2.0');
    expect(c['image-exists']).toMatchObject({
      status: 'fail',
      message: expect.stringContaining(
        '(no registry is configured for example.org (gitops.registries))',
      ),
    });
  });
});

maybe('image checks with a real registry behind basic auth', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startTestRegistry('basic');
    for (const i of [
      seedImage('shop/python-api-base', 'v1.2.0-rc.2', [
        'v1.2.0-rc.2',
        'v1.2.0',
      ]),
    ])
      await pushImage(
        { url: reg.url, authorization: reg.pushAuthorization(i.repository) },
        i,
      );
  });
  afterAll(() => reg?.stop());

  it('with the configured account the checks pass; without it they are unavailable (credentials refused)', async () => {
    const base = { host: 'example.org', url: reg.url, timeoutMs: 5000 };
    const ok = await setup(
      { ...base, auth: 'basic', username: TEST_USER, password: TEST_PASSWORD },
      'v1.2.0-rc.2',
    ).promote('v1.2.0');
    expect(ok['image-exists'].status).toBe('pass');
    expect(ok['same-digest'].status).toBe('pass');
    const anon = await setup(
      { ...base, auth: 'anonymous' },
      'v1.2.0-rc.2',
    ).promote('v1.2.0');
    expect(anon['image-exists'].status).toBe('fail');
    expect(anon['image-exists'].message).toContain(
      'answered 401 (credentials refused)',
    );
    expect(JSON.stringify(anon)).not.toContain(TEST_PASSWORD);
  });
});
