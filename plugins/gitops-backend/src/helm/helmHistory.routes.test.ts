/* An undecodable Helm release Secret is an error for that revision in the history response, not a silent gap. */
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EnvironmentHistory } from '@internal/plugin-gitops-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gzipSync } from 'zlib';
import { gitopsPlugin } from '../plugin';
import { fakeArgo, fixtureApp } from '../state/__testUtils__/fakeArgo';

const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const TOKEN = 'a.b.c';
const config = {
  gitops: {
    argocd: {
      instances: [
        { name: 'local', url: 'http://argo.test', token: TOKEN, timeout: '2s' },
      ],
    },
    helm: {
      clusters: [{ name: 'local', url: 'http://k8s.test', token: 'kube' }],
    },
    defaultPipeline: 'standard',
    // the platform maps the application to the entity (fixtures carry no binding annotation)
    bindings: {
      rules: [
        { match: { names: ['api-*'] }, entities: ['component:default/api'] },
      ],
    },
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'prod', instance: 'local', helmCluster: 'local' },
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
      annotations: { 'gitops/app': 'api', 'gitops/helm-release': 'shop/mig' },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

function secret(revision: number, status: string, bytes: Buffer) {
  return {
    metadata: {
      name: `sh.helm.release.v1.mig.v${revision}`,
      labels: { owner: 'helm', name: 'mig', status, version: String(revision) },
    },
    data: {
      release: Buffer.from(bytes.toString('base64')).toString('base64'),
    },
  };
}
const release = (revision: number, status: string) =>
  secret(
    revision,
    status,
    gzipSync(
      Buffer.from(
        JSON.stringify({
          name: 'mig',
          namespace: 'shop',
          version: revision,
          info: { status, last_deployed: `2026-11-0${revision}T10:00:00Z` },
          chart: {
            metadata: { name: 'migrations', version: `0.${revision}.0` },
          },
        }),
      ),
    ),
  );

it('GET …/history lists the newest, undecodable revisions as errors', async () => {
  const argo = fakeArgo('http://argo.test', [fixtureApp('api-prod')], {
    token: TOKEN,
  });
  server.use(
    ...argo.handlers,
    http.get('http://k8s.test/api/v1/namespaces/shop/secrets', () =>
      HttpResponse.json({
        kind: 'SecretList',
        items: [
          release(1, 'superseded'),
          release(2, 'superseded'),
          secret(3, 'deployed', Buffer.from([0x1f, 0x8b, 0x08, 1, 2, 3])),
        ],
      }),
    ),
  );
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  const res = await request(app).get(
    '/api/gitops/entities/component/default/api/environments/prod/history',
  );
  expect(res.status).toBe(200);
  const body = res.body as EnvironmentHistory;
  expect(body.items.filter(i => i.source === 'helm').map(i => i.id)).toEqual([
    '2',
    '1',
  ]);
  expect(body.errors).toEqual([
    {
      name: 'HelmReleaseDecodeError',
      message:
        'Helm release shop/mig revision 3 (deployed) could not be read from Secret sh.helm.release.v1.mig.v3: its gzip data is corrupt',
      instance: 'local',
    },
  ]);
});
