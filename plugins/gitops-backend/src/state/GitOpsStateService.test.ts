import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { DEFAULT_BINDINGS } from '../binding/types';
import { ReadCache } from '../cache/ReadCache';
import { readPipelines } from '../config/readPipelines';
import { GitOpsStateService } from './GitOpsStateService';
import { fakeArgo, fixtureApp } from './__testUtils__/fakeArgo';

const server = setupServer();
registerMswTestHooks(server);

const TOKEN = 'a.b.c';
const config = new ConfigReader({
  gitops: {
    pipelines: {
      standard: {
        environments: [
          { name: 'dev', instance: 'local' },
          { name: 'prod', promotesFrom: 'dev', instance: 'local' },
        ],
      },
    },
  },
});
const entity: any = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'api',
    namespace: 'default',
    annotations: { 'gitops/app': 'api' },
  },
};

function setup(windowStateTtlMs: number, withProvider = true) {
  const argo = fakeArgo(
    'http://argo.test',
    [fixtureApp('api-dev'), fixtureApp('api-prod')],
    { token: TOKEN },
  );
  server.use(...argo.handlers);
  const client = ArgoCdClient.create({
    instances: [
      {
        name: 'local',
        url: 'http://argo.test',
        externalUrl: 'http://argo.test',
        token: TOKEN,
        timeoutMs: 2000,
        concurrency: 4,
      },
    ],
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const provider = {
    getWindowState: jest.fn(async ({ environment, application }: any) =>
      environment.name === 'prod'
        ? {
            open: false,
            message: `closed for ${application?.name}`,
            nextOpen: '2026-11-30T06:00:00Z',
          }
        : undefined,
    ),
  };
  const service = GitOpsStateService.create({
    client,
    pipelines: readPipelines(config, ['local']),
    windowStateTtlMs,
    windowStateProvider: withProvider ? provider : undefined,
    // the fixtures carry no binding annotation: a platform rule binds them
    bindings: {
      ...DEFAULT_BINDINGS,
      defaultPipeline: 'standard',
      rules: [
        {
          path: 'gitops.bindings.rules[0]',
          match: { names: ['api-*'] },
          entities: ['component:default/api'],
          owners: [],
        },
      ],
    },
  });
  return { service, provider };
}

describe('GitOpsStateService window hook', () => {
  it('leaves window undefined without a provider', async () => {
    const { service } = setup(0, false);
    const state = await service.getEnvironments(entity);
    expect(state.environments.map(e => e.window)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('fills window from the provider, with the located application', async () => {
    const { service, provider } = setup(0);
    const state = await service.getEnvironments(entity);
    expect(state.environments[0].window).toBeUndefined();
    expect(state.environments[1].window).toEqual({
      open: false,
      message: 'closed for api-prod',
      nextOpen: '2026-11-30T06:00:00Z',
    });
    // Second load: window state of known apps is asked for again (ttl 0), with the same identity.
    await service.getEnvironments(entity);
    expect(provider.getWindowState).toHaveBeenCalledTimes(4);
    expect(provider.getWindowState.mock.calls[3][0].application).toMatchObject({
      name: 'api-prod',
      instance: 'local',
    });
  });

  it('reuses window states within their TTL', async () => {
    const { service, provider } = setup(60_000);
    await service.getEnvironments(entity);
    await service.getEnvironments(entity);
    expect(provider.getWindowState).toHaveBeenCalledTimes(2);
  });
});
