/* No route answers 500 for what Argo CD (or a proxy) sent: a per-environment error, or a 503 with status and reason. */
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityGitOpsState } from '@internal/plugin-gitops-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';

const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const ARGO = 'http://argo-main.test';
const config = {
  gitops: {
    argocd: {
      instances: [{ name: 'main', url: ARGO, token: 'a.b.c', timeout: '2s' }],
    },
    defaultPipeline: 'standard',
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'dev', instance: 'main' },
          { name: 'prod', promotesFrom: 'dev', instance: 'main' },
        ],
      },
    },
  },
};

const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'api',
      namespace: 'default',
      annotations: { 'gitops/app': 'api' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

const good = (name: string) => ({
  metadata: {
    name,
    namespace: 'argocd',
    annotations: {
      'gitops.backstage.io/entity-ref': 'component:default/api',
      'gitops.backstage.io/pipeline': 'standard',
    },
  },
  spec: { project: 'default', destination: {} },
  status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
});

async function start() {
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return app;
}

const base = '/api/gitops/entities/component/default/api';

const answers: Array<[string, () => Response]> = [
  ['HTML', () => new HttpResponse('<html>login</html>', { status: 200 })],
  ['invalid JSON', () => new HttpResponse('{"metadata": {', { status: 200 })],
  ['a number', () => HttpResponse.json(7)],
  ['the wrong shape', () => HttpResponse.json({ metadata: { name: 7 } })],
  [
    'a Go panic',
    () =>
      HttpResponse.json(
        { message: 'panic: boom\ngoroutine 1\n/go/src/x/y.go:1' },
        { status: 500 },
      ),
  ],
];

describe('state routes with a misbehaving Argo CD', () => {
  it.each(answers)(
    'environments: %s for one app is that environment’s error',
    async (_what, answer) => {
      server.use(
        http.get(`${ARGO}/api/v1/applications/api-dev`, () =>
          HttpResponse.json(good('api-dev')),
        ),
        http.get(`${ARGO}/api/v1/applications/api-prod`, answer),
      );
      const res = await request(await start()).get(`${base}/environments`);
      expect(res.status).toBe(200);
      const [dev, prod] = (res.body as EntityGitOpsState).environments;
      expect(dev.application?.name).toBe('api-dev');
      expect(prod.application).toBeUndefined();
      expect(prod.error?.name).toBe('ServiceUnavailableError');
      expect(prod.error?.message).toMatch(
        /^Argo CD instance 'main' answered (200 OK|500 Internal Server Error) to GET \/api\/v1\/applications\/api-prod/,
      );
      expect(JSON.stringify(res.body)).not.toMatch(
        /TypeError|goroutine|\.go:|<html>/,
      );
    },
  );

  it.each([
    ['diff', 'managed-resources'],
    ['resources', 'resource-tree'],
  ])(
    '%s: a wrong answer from %s is a 503 with status and reason',
    async (route, upstream) => {
      server.use(
        http.get(`${ARGO}/api/v1/applications/api-dev`, () =>
          HttpResponse.json(good('api-dev')),
        ),
        http.get(`${ARGO}/api/v1/applications/api-dev/${upstream}`, () =>
          HttpResponse.json({ items: 'x', nodes: [{ kind: 1 }] }),
        ),
      );
      const res = await request(await start()).get(
        `${base}/environments/dev/${route}`,
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        new RegExp(
          `^Argo CD instance 'main' answered 200 OK to GET /api/v1/applications/api-dev/${upstream} with an unexpected body \\(`,
        ),
      );
    },
  );
});
