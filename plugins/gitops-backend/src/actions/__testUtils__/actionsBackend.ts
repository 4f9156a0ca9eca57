/* A test backend with the GitOps plugin and Backstage's own actions registry. */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockServices,
  registerMswTestHooks,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { gitopsPlugin } from '../../plugin';
import { ORG } from '../../notifications/__testUtils__/fixtures';
import { fakeArgo, fixtureApp } from '../../state/__testUtils__/fakeArgo';

// The whole plugin with Backstage's own actions registry: the actions are
// listed and invoked through the registry's HTTP API (the one the MCP actions
// backend calls), with the caller's credentials, against the real policy,
// permissions, store and a fake Argo CD.

export const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.actions-SECRET.sig';
export const server = setupServer(
  http.all(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//, () =>
    passthrough(),
  ),
);
registerMswTestHooks(server);

const ENTITY = {
  ...ORG.find(e => e.kind === 'Component')!,
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: {
      'gitops/app': 'python-api-base',
      'gitops/pipeline': 'standard',
    },
  },
};

export const actionsTestConfig = {
  backend: { actions: { pluginSources: ['gitops'] } },
  gitops: {
    argocd: {
      instances: [
        { name: 'local', url: 'http://argo.test', token: TOKEN, timeout: '1s' },
      ],
    },
    cache: { ttl: '0s' },
    defaultPipeline: 'standard',
    // the fixtures carry no binding annotation: the platform binds them to team-a
    bindings: {
      rules: [
        { match: { instances: ['local'] }, owners: ['group:default/team-a'] },
      ],
    },
    pipelines: {
      standard: {
        applicationName: '{app}-{env}',
        environments: [
          { name: 'dev', instance: 'local' },
          {
            name: 'staging',
            promotesFrom: 'dev',
            instance: 'local',
            sourceMustBeHealthy: true,
          },
          {
            name: 'prod',
            promotesFrom: 'staging',
            instance: 'local',
            tagPattern: '^v\\d+\\.\\d+\\.\\d+$',
            requireSemver: true,
            sourceMustBeHealthy: true,
            manualSyncRequired: true,
            approvals: { min: 1, approvers: ['group:default/platform-team'] },
          },
        ],
      },
    },
  },
};

const GROUPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/bob': ['group:default/platform-team'],
};

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef as string;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(GROUPS[ref] ?? [])],
      };
    },
  }),
});

/** Notifications the plugin sent (reset by each start). */
export const sent: NotificationSendOptions[] = [];
const notificationsFactory = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    async send(o: NotificationSendOptions) {
      sent.push(o);
    },
  }),
});

export async function startActionsBackend(
  permission: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  extraFeatures: any[] = [],
) {
  sent.length = 0;
  server.use(
    ...fakeArgo(
      'http://argo.test',
      [
        fixtureApp('python-api-base-dev', {
          tag: 'v1.3.0-dev.4',
          automated: true,
        }),
        fixtureApp('python-api-base-staging', { tag: 'v1.2.0-rc.2' }),
        fixtureApp('python-api-base-prod', {
          tag: 'v1.1.0',
          sync: 'OutOfSync',
        }),
      ],
      { token: TOKEN },
    ).handlers,
  );
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      actionsRegistryServiceFactory,
      actionsServiceFactory,
      mockServices.rootConfig.factory({ data: actionsTestConfig }),
      catalogServiceMock.factory({
        entities: [ENTITY, ...ORG.filter(e => e.kind !== 'Component')],
      }),
      mockServices.permissions.factory({ result: permission }),
      userInfoFactory,
      notificationsFactory,
      ...extraFeatures,
    ],
  });
  return backend;
}
