/* A Helm release is read only in a namespace the entity's bound application deploys to, or one a binding rule allows. */
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
import { gitopsPlugin } from '../plugin';
import { fakeArgo, fixtureApp } from '../state/__testUtils__/fakeArgo';

const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const TOKEN = 'a.b.c';
const config = (rule: Record<string, unknown> = {}) => ({
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
    bindings: {
      rules: [
        {
          match: { names: ['api-*'] },
          entities: ['component:default/api'],
          ...rule,
        },
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
});

// api-prod deploys to namespace 'shop'; the entity also names a release in kube-system.
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'api',
      namespace: 'default',
      annotations: {
        'gitops/app': 'api',
        'gitops/helm-release': 'shop/mig,kube-system/cilium',
      },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  },
];

async function history(
  rule?: Record<string, unknown>,
  apps = [fixtureApp('api-prod')],
) {
  const argo = fakeArgo('http://argo.test', apps, {
    token: TOKEN,
  });
  const kube: string[] = [];
  server.use(
    ...argo.handlers,
    http.get('http://k8s.test/api/v1/namespaces/:ns/secrets', ({ params }) => {
      kube.push(String(params.ns));
      return HttpResponse.json({ kind: 'SecretList', items: [] });
    }),
  );
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config(rule) }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  const res = await request(app).get(
    '/api/gitops/entities/component/default/api/environments/prod/history',
  );
  expect(res.status).toBe(200);
  return { body: res.body as EnvironmentHistory, kube };
}

it("refuses a release outside the bound application's namespace, per environment, without a Kubernetes call", async () => {
  const { body, kube } = await history();
  expect(kube).toEqual(['shop']);
  expect(body.errors).toEqual([
    {
      name: 'NotAllowedError',
      message:
        "Helm release kube-system/cilium (annotation gitops/helm-release) is not read in environment 'prod': namespace 'kube-system' is not one that application 'api-prod' deploys to ('shop') and no gitops.bindings rule allows it (helmNamespaces)",
      instance: 'local',
    },
  ]);
});

it('reads it when the binding rule lists the namespace in helmNamespaces', async () => {
  const { body, kube } = await history({ helmNamespaces: ['kube-system'] });
  expect(kube.sort()).toEqual(['kube-system', 'shop']);
  expect(body.errors).toEqual([]);
});

it('reads no release for an entity the application is not bound to', async () => {
  const { body, kube } = await history({
    entities: ['component:default/other'],
    helmNamespaces: ['kube-system'],
  });
  expect(kube).toEqual([]);
  expect(body.errors.map(e => e.name)).toEqual(['NotAllowedError']);
  expect(body.errors[0].message).toContain(
    'is not bound to component:default/api',
  );
});

it('reads no release when the environment has no readable application', async () => {
  const { body, kube } = await history({}, []);
  expect(kube).toEqual([]);
  expect(body.errors.map(e => [e.name, e.message])).toEqual([
    [
      'NotAllowedError',
      "Helm release shop/mig (annotation gitops/helm-release) is not read in environment 'prod': no application bound to this entity could be read there",
    ],
    [
      'NotAllowedError',
      "Helm release kube-system/cilium (annotation gitops/helm-release) is not read in environment 'prod': no application bound to this entity could be read there",
    ],
    ['NotFoundError', expect.stringContaining("Application 'api-prod'")],
  ]);
});
