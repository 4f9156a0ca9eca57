/* Bad names in annotations answer 400 naming the annotation, and nothing is sent upstream. */
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';

const isTestBackend = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;
const server = setupServer(http.all(isTestBackend, () => passthrough()));
registerMswTestHooks(server);

const upstream: string[] = [];
beforeEach(() => {
  upstream.length = 0;
  server.events.removeAllListeners();
  server.events.on('request:start', ({ request: r }) => {
    if (!isTestBackend.test(r.url)) upstream.push(`${r.method} ${r.url}`);
  });
});

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const ENTITIES = [
  entity('helm-dotdot', {
    'gitops/app': 'python-api-base',
    'gitops/helm-release': 'prod:../x',
  }),
  entity('app-dotdot', { 'gitops/app': '../../api/v1/secrets' }),
  entity('name-dotdot', { 'argocd/app-name': 'ok,..' }),
  entity('project-bad', { 'argocd/project-name': 'a/b' }),
  entity('ns-bad', { 'gitops/app': 'x', 'argocd/app-namespace': '..' }),
];

const config = {
  gitops: {
    argocd: {
      instances: [
        {
          name: 'local',
          url: 'http://argo.test',
          token: 'a.b.c',
          timeout: '1s',
        },
      ],
    },
    helm: {
      clusters: [{ name: 'local', url: 'http://k8s.test', token: 'kube' }],
    },
    // Counts upstream calls of the direct path (no mirror list or stream).
    mirror: { enabled: false },
    defaultPipeline: 'standard',
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'dev', instance: 'local', helmCluster: 'local' },
          {
            name: 'prod',
            promotesFrom: 'dev',
            instance: 'local',
            helmCluster: 'local',
          },
        ],
      },
    },
  },
};

async function start() {
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities: ENTITIES }),
    ],
  });
  return app;
}

const base = '/api/gitops/entities/component/default';

describe('annotation names are validated before any upstream call', () => {
  it.each([
    [
      'helm-dotdot',
      'environments/prod/history',
      'gitops/helm-release',
      "namespace '..'",
    ],
    ['helm-dotdot', 'environments', 'gitops/helm-release', "namespace '..'"],
    ['app-dotdot', 'environments', 'gitops/app', 'Argo CD application name'],
    ['name-dotdot', 'environments/dev/diff', 'argocd/app-name', "'..'"],
    ['project-bad', 'environments', 'argocd/project-name', "'a/b'"],
    ['ns-bad', 'environments/dev/resources', 'argocd/app-namespace', "'..'"],
  ])(
    '%s: GET %s answers 400 naming %s',
    async (name, path, annotation, what) => {
      const app = await start();
      const res = await request(app).get(`${base}/${name}/${path}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(`Annotation ${annotation}`);
      expect(res.body.error.message).toContain(what);
      expect(upstream).toEqual([]);
    },
  );
});
