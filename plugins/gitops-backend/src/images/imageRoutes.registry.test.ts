/*
 * The image routes (`…/image-tags`, `…/image-digests`) over HTTP, with a
 * REAL registry behind basic auth: the caller's view of the entity (404 for
 * what it cannot see), the body, and no credential in any answer.
 */
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { gitopsApiPaths } from '@internal/plugin-gitops-common';
import { pushImage, seedImage } from '@internal/argocd-emulator';
import express from 'express';
import request from 'supertest';
import { readGitopsConfig } from '../config';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import {
  TEST_PASSWORD,
  TEST_USER,
  TestRegistry,
  registryUnavailable,
  startTestRegistry,
} from '../registry/__testUtils__/testRegistry';
import { createImages } from './createImages';

// a real registry process is started and seeded in beforeAll: slow on a busy machine
jest.setTimeout(60_000);

const skip = registryUnavailable();
const maybe = skip ? describe.skip : describe;

const REPO = 'example.org/shop/python-api-base';
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: { 'gitops/app': 'python-api-base' },
  },
  spec: { owner: 'team-a' },
};

const envState = (name: string, order: number, version: string) => ({
  name,
  order,
  version,
  images: [`${REPO}:${version}`],
  conditions: [],
  unhealthyResources: 0,
  ...(order > 0 ? { promotesFrom: order === 1 ? 'dev' : 'staging' } : {}),
});

maybe('image routes (real registry, basic auth)', () => {
  let reg: TestRegistry;
  let app: express.Express;
  const rc2 = seedImage('shop/python-api-base', 'v1.2.0-rc.2', [
    'v1.2.0-rc.2',
    'v1.2.0',
  ]);

  beforeAll(async () => {
    reg = await startTestRegistry('basic');
    await pushImage(
      { url: reg.url, authorization: reg.pushAuthorization(rc2.repository) },
      rc2,
    );
    const config = readGitopsConfig(loadExampleAppConfig());
    const { router } = createImages({
      gitopsConfig: {
        ...config,
        registries: [
          {
            host: 'example.org',
            url: reg.url,
            auth: 'basic',
            username: TEST_USER,
            password: TEST_PASSWORD,
            timeoutMs: 5000,
          },
        ],
      },
      reader: {
        getEnvironments: async () => ({
          entityRef: 'component:default/python-api-base',
          pipeline: 'standard',
          environments: [
            envState('dev', 0, 'v1.2.0-dev.3'),
            envState('staging', 1, 'v1.2.0-rc.2'),
            envState('prod', 2, 'v1.1.4'),
          ],
        }),
        getHistory: async () => ({ items: [], errors: [] }),
      },
      httpAuth: mockServices.httpAuth(),
      catalog: catalogServiceMock({ entities: [entity] }),
      logger: mockServices.logger.mock(),
    });
    app = express();
    app.use(router);
    app.use(
      MiddlewareFactory.create({
        config: mockServices.rootConfig(),
        logger: mockServices.logger.mock(),
      }).error(),
    );
  });
  afterAll(() => reg?.stop());

  const path = (
    env: string,
    part: 'image-tags' | 'image-digests',
    name = 'python-api-base',
  ) => gitopsApiPaths.environment('component', 'default', name, env, part);

  it('GET …/prod/image-tags: the registry tags prod accepts, with digests and what ran in staging; no credential in the body', async () => {
    const res = await request(app).get(path('prod', 'image-tags'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      repository: REPO,
      previousEnvironment: 'staging',
      items: [
        {
          tag: 'v1.2.0',
          digest: rc2.manifest.digest,
          ranInPrevious: true,
          ranAs: 'v1.2.0-rc.2',
        },
      ],
    });
    expect(res.text).not.toContain(TEST_PASSWORD);
    expect(res.text).not.toContain(TEST_USER);
  });

  it('GET …/staging/image-digests: the digest of what staging runs', async () => {
    const res = await request(app).get(path('staging', 'image-digests'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      repository: REPO,
      digests: { 'v1.2.0-rc.2': rc2.manifest.digest },
    });
  });

  it('an entity the caller cannot see (or that does not exist) is 404; an unknown environment 400', async () => {
    expect(
      (await request(app).get(path('prod', 'image-tags', 'hidden'))).status,
    ).toBe(404);
    const bad = await request(app).get(path('qa', 'image-tags'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^environment: 'qa' is not an environment of pipeline standard/,
    );
  });
});
