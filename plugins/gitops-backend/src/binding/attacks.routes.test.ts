/*
 * The trust boundary, attacked as an ordinary account would (issue: takeover,
 * policy downgrade, two entities on one app): the whole plugin against a
 * fake Argo CD whose Applications carry their binding.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityGitOpsState } from '@internal/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, HttpResponse, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';
import { fakeArgo, fixtureApp } from '../state/__testUtils__/fakeArgo';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.binding-SECRET.sig';
const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

function entity(
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}

const OWNER_REF = 'component:default/python-api-base';
const kubeCalls: string[] = [];
beforeEach(() => {
  kubeCalls.length = 0;
});

const OWNER = entity('python-api-base', 'team-a', {
  'gitops/app': 'python-api-base',
  'gitops/pipeline': 'standard',
});
// bob registers his own component claiming team-a's app
const TAKEOVER = entity('bob-tools', 'bobs-team', {
  'gitops/app': 'python-api-base',
  'gitops/pipeline': 'standard',
  'gitops/helm-release': 'shop/python-api-base-migrations',
});
// puts team-a's prod app under a pipeline without gates
const DOWNGRADE = entity('fast-prod', 'bobs-team', {
  'argocd/app-name': 'python-api-base-prod',
  'gitops/pipeline': 'fast-track',
});
// the owner itself tries the lighter pipeline
const SELF_DOWNGRADE = entity('python-api-base-fast', 'team-a', {
  'argocd/app-name': 'python-api-base-prod',
  'gitops/pipeline': 'fast-track',
});
// two entities bound to one app (annotation and a platform rule disagree)
const SHARED_A = entity('shared-a', 'team-a', { 'gitops/app': 'shared' });
const SHARED_B = entity('shared-b', 'team-b', { 'gitops/app': 'shared' });
// bound by the platform config (owner group), not by the app
const BY_RULE = entity('legacy', 'team-c', { 'gitops/app': 'legacy' });
// a second entity of the same owner group, on the same app
const BY_RULE_2 = entity('legacy-2', 'team-c', { 'gitops/app': 'legacy' });

const bound = (
  name: string,
  entityRef: string | undefined,
  pipeline = 'standard',
  opts: Parameters<typeof fixtureApp>[1] = {},
) => {
  const app = fixtureApp(name, opts);
  if (entityRef) {
    app.metadata.annotations = {
      'gitops.backstage.io/entity-ref': entityRef,
      'gitops.backstage.io/pipeline': pipeline,
    };
  }
  return app;
};

const config = {
  gitops: {
    argocd: {
      instances: [
        { name: 'local', url: 'http://argo.test', token: TOKEN, timeout: '1s' },
      ],
    },
    helm: {
      clusters: [{ name: 'local', url: 'http://k8s.test', token: 'kube' }],
    },
    cache: { ttl: '0s' },
    defaultPipeline: 'standard',
    bindings: {
      rules: [
        {
          match: { names: ['shared-*'] },
          entities: ['component:default/shared-b'],
        },
        { match: { names: ['legacy-*'] }, owners: ['group:default/team-c'] },
      ],
    },
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'staging', instance: 'local', helmCluster: 'local' },
          {
            name: 'prod',
            promotesFrom: 'staging',
            instance: 'local',
            helmCluster: 'local',
            requireSemver: true,
            approvals: { min: 1, approvers: ['group:default/platform-team'] },
          },
        ],
      },
      'fast-track': {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'staging', instance: 'local' },
          { name: 'prod', promotesFrom: 'staging', instance: 'local' },
        ],
      },
    },
  },
};

const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      const groups: Record<string, string[]> = {
        'user:default/bob': ['group:default/bobs-team'],
        'user:default/alice': ['group:default/team-a'],
      };
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
      };
    },
  }),
});

async function start() {
  server.use(
    ...fakeArgo(
      'http://argo.test',
      [
        bound('python-api-base-staging', OWNER_REF, 'standard', {
          tag: 'v1.2.0-rc.7',
        }),
        bound('python-api-base-prod', OWNER_REF, 'standard', { tag: 'v1.1.0' }),
        bound('shared-staging', 'component:default/shared-a'),
        bound('shared-prod', 'component:default/shared-a'),
        bound('legacy-staging', undefined),
        bound('legacy-prod', undefined),
      ],
      { token: TOKEN },
    ).handlers,
    http.get(
      'http://k8s.test/api/v1/namespaces/:ns/secrets',
      ({ request: r }) => {
        kubeCalls.push(r.url);
        return HttpResponse.json({ kind: 'SecretList', items: [] });
      },
    ),
  );
  const { server: app } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({
        entities: [
          OWNER,
          TAKEOVER,
          DOWNGRADE,
          SELF_DOWNGRADE,
          SHARED_A,
          SHARED_B,
          BY_RULE,
          BY_RULE_2,
        ],
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      userInfo,
    ],
  });
  return app;
}

const base = '/api/gitops/entities/component/default';

async function environments(app: any, name: string) {
  const res = await request(app).get(`${base}/${name}/environments`);
  expect(res.status).toBe(200);
  return (res.body as EntityGitOpsState).environments;
}

async function changeRequest(app: any, body: object, user = 'bob') {
  return request(app)
    .post('/api/gitops/changes')
    .set('Authorization', mockCredentials.user.header(`user:default/${user}`))
    .send(body);
}

async function changesOf(app: any) {
  const res = await request(app)
    .get('/api/gitops/changes')
    .set('Authorization', mockCredentials.user.header('user:default/alice'));
  return res.body.items as unknown[];
}

describe('the trust boundary', () => {
  it('the owner entity steers its bound apps', async () => {
    const app = await start();
    const envs = await environments(app, 'python-api-base');
    expect(envs.map(e => [e.name, e.application?.name, e.error])).toEqual([
      ['staging', 'python-api-base-staging', undefined],
      ['prod', 'python-api-base-prod', undefined],
    ]);
  });

  it('takeover: bob’s entity claiming python-api-base reads nothing, changes nothing, and the tab says why', async () => {
    const app = await start();
    const envs = await environments(app, 'bob-tools');
    for (const e of envs) {
      expect(e.application).toBeUndefined();
      expect(e.version).toBeUndefined();
      expect(e.error?.name).toBe('NotAllowedError');
      expect(e.error?.message).toContain(
        `is not bound to component:default/bob-tools: it is bound to ${OWNER_REF}`,
      );
    }
    const history = await request(app).get(
      `${base}/bob-tools/environments/prod/history`,
    );
    expect(history.status).toBe(200);
    expect(history.body.items).toEqual([]);
    expect(history.body.errors.map((e: any) => e.name)).toEqual([
      'NotAllowedError',
    ]);
    expect(kubeCalls).toEqual([]); // not even team-a's Helm release history
    const res = await changeRequest(app, {
      entityRef: 'component:default/bob-tools',
      environment: 'staging',
      kind: 'sync',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'is not bound to component:default/bob-tools',
    );
    expect(await changesOf(app)).toEqual([]);
  });

  it.each([
    ['fast-prod', 'bob’s entity'],
    ['python-api-base-fast', 'the owner’s second entity'],
  ])(
    'policy downgrade (%s, %s): prod stays under its own pipeline; the fast-track claim is refused',
    async name => {
      const app = await start();
      const envs = await environments(app, name);
      const prod = envs.find(e => e.name === 'prod')!;
      expect(prod.application).toBeUndefined();
      expect(prod.error?.name).toBe('NotAllowedError');
      expect(prod.error?.message).toMatch(
        /python-api-base-prod.*(not bound to|runs under pipeline 'standard')/,
      );
      const preview = await changeRequest(app, {
        entityRef: `component:default/${name}`,
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
        preview: true,
      });
      expect(preview.body.allowed).not.toBe(true);
    },
  );

  it('two entities bound to one app: a configuration error shown on both', async () => {
    const app = await start();
    for (const name of ['shared-a', 'shared-b']) {
      const envs = await environments(app, name);
      for (const e of envs) {
        expect(e.application).toBeUndefined();
        expect(e.error?.name).toBe('ConflictError');
        expect(e.error?.message).toContain(
          'is bound to more than one entity (component:default/shared-a by annotation gitops.backstage.io/entity-ref of the Argo CD Application; component:default/shared-b by gitops.bindings.rules[0])',
        );
      }
    }
  });

  it('platform config binds an app without annotation to the entities of an owner group', async () => {
    const app = await start();
    const envs = await environments(app, 'legacy');
    expect(envs.map(e => e.application?.name)).toEqual([
      'legacy-staging',
      'legacy-prod',
    ]);
  });

  it('two entities on one app: one open change per application and environment, whichever entity asks', async () => {
    const app = await start();
    const sync = (name: string) =>
      changeRequest(
        app,
        {
          entityRef: `component:default/${name}`,
          environment: 'prod',
          kind: 'sync',
          reason: 'resync',
        },
        'alice',
      );
    const [a, b] = await Promise.all([sync('legacy'), sync('legacy-2')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const refused = a.status === 409 ? a : b;
    expect(refused.body.error.message).toMatch(
      /^environment: Argo CD application 'legacy-prod' on instance 'local' already has an open change for 'prod'/,
    );
  });
});
