/*
 * An approved change runs against what was approved: the target fixed at
 * creation is compared with what the binding gives at execution; when it
 * moved (another application, or the binding is gone) the change stops as
 * `blocked` with the reason, before anything is written.
 */
import {
  mockServices,
  registerMswTestHooks,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ReadCache } from '../cache/ReadCache';
import { readGitopsConfig } from '../config/readGitopsConfig';
import { ConfigReader } from '@backstage/config';
import { ChangeExecutor } from '../execution/ChangeExecutor';
import { ConfigTargetResolver } from '../execution/ConfigTargetResolver';
import { FAST_SETTINGS } from '../execution/e2e/__testUtils__/harness';
import { systemClock } from '../execution/types';
import { ApplicationLocator } from '../state/ApplicationLocator';
import { fakeArgo, fixtureApp } from '../state/__testUtils__/fakeArgo';
import { DatabaseChangeStore } from '../store/DatabaseChangeStore';
import type { WriteBackSpec } from '../writeback/config';
import { TargetMovedError, changeTargetOf } from './changeTarget';

const server = setupServer();
registerMswTestHooks(server);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const TOKEN = 'a.b.c';
const OWNER = 'component:default/python-api-base';

const config = readGitopsConfig(
  new ConfigReader({
    gitops: {
      argocd: {
        instances: [{ name: 'local', url: 'http://argo.test', token: TOKEN }],
      },
      defaultPipeline: 'standard',
      pipelines: {
        standard: {
          applicationName: '{app}-{env}',
          environments: [{ name: 'prod', instance: 'local' }],
        },
      },
    },
  }),
);

function appBoundTo(name: string, entityRef: string) {
  const a = fixtureApp(name);
  a.metadata.annotations = {
    'gitops.backstage.io/entity-ref': entityRef,
    'gitops.backstage.io/pipeline': 'standard',
  };
  return a;
}

const entity = (app: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: { 'gitops/app': app },
  },
  spec: { owner: 'team-a' },
});

async function setup(
  apps: ReturnType<typeof fixtureApp>[],
  gitopsApp: string,
  pinnedWriteBack?: WriteBackSpec,
) {
  server.use(...fakeArgo('http://argo.test', apps, { token: TOKEN }).handlers);
  const client = ArgoCdClient.create({
    instances: config.instances,
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const resolver = ConfigTargetResolver.create({
    pipelines: config.pipelines,
    environments: config.environments,
    locator: new ApplicationLocator(client, config.bindings),
    catalog: { getEntityByRef: async () => entity(gitopsApp) } as any,
    auth: mockServices.auth(),
  });
  const store = await DatabaseChangeStore.fromKnex(
    await databases.init('SQLITE_3'),
  );
  const created = await store.createChange(
    {
      entityRef: OWNER,
      environment: 'prod',
      pipeline: 'standard',
      kind: 'sync',
      state: 'approved',
      requestedBy: 'user:default/alice',
      override: false,
      requiredApprovals: 0,
      approverRefs: [],
      checks: [],
      createdAt: new Date(),
      // what the approvers saw
      target: changeTargetOf({
        instance: 'local',
        application: 'python-api-base-prod',
        appNamespace: 'argocd',
        project: 'default',
        writeBack: pinnedWriteBack,
      }),
    },
    { type: 'created' },
  );
  const change = (await store.claimForExecution({
    owner: 'me',
    leaseMs: 60_000,
    now: new Date(),
    id: created.id,
  }))!;
  const argoCalls = jest.fn();
  const executor = ChangeExecutor.create({
    services: {
      store,
      argo: new Proxy({}, { get: () => argoCalls }) as any,
      policy: { recheck: async () => ({ outcome: 'allow', checks: [] }) },
      settings: FAST_SETTINGS,
      clock: systemClock,
      logger: mockServices.logger.mock(),
    },
    targets: resolver,
  });
  return { resolver, store, change, executor, argoCalls };
}

describe('target pinned at creation', () => {
  it('resolves the same target when nothing moved', async () => {
    const s = await setup(
      [appBoundTo('python-api-base-prod', OWNER)],
      'python-api-base',
    );
    await expect(s.resolver.resolve(s.change)).resolves.toMatchObject({
      instance: 'local',
      application: 'python-api-base-prod',
    });
  });

  it('the owner re-points gitops/app to another (bound) app after approval: blocked, naming what moved', async () => {
    const s = await setup(
      [
        appBoundTo('python-api-base-prod', OWNER),
        appBoundTo('other-prod', OWNER),
      ],
      'other',
    );
    await expect(s.resolver.resolve(s.change)).rejects.toThrow(
      TargetMovedError,
    );
    const end = await s.executor.execute(
      s.change,
      'me',
      new AbortController().signal,
    );
    expect(end).toBe('failed');
    const detail = (await s.store.getChangeDetail(s.change.id))!;
    expect(detail.state).toBe('blocked');
    expect(detail.result?.message).toContain(
      "application 'python-api-base-prod' → 'other-prod'",
    );
    expect(detail.events.map(e => e.type)).toContain('blocked');
    expect(s.argoCalls).not.toHaveBeenCalled();
  });

  it('the Application was re-bound to another entity after approval: blocked with the binding reason', async () => {
    const s = await setup(
      [appBoundTo('python-api-base-prod', 'component:default/someone-else')],
      'python-api-base',
    );
    await s.executor.execute(s.change, 'me', new AbortController().signal);
    const detail = (await s.store.getChangeDetail(s.change.id))!;
    expect(detail.state).toBe('blocked');
    expect(detail.result?.message).toContain(
      'the binding changed since the change was created and approved',
    );
    expect(detail.result?.message).toContain(
      'is not bound to component:default/python-api-base',
    );
    expect(s.argoCalls).not.toHaveBeenCalled();
  });

  it("the environment's write-back changed after approval: blocked, naming the write-back", async () => {
    // approved while prod wrote the tag into Git; the config no longer says so
    const s = await setup(
      [appBoundTo('python-api-base-prod', OWNER)],
      'python-api-base',
      {
        method: 'git',
        repository: 'gitops',
        path: 'apps/python-api-base-prod/values.yaml',
        key: 'image.tag',
      } as WriteBackSpec,
    );
    await s.executor.execute(s.change, 'me', new AbortController().signal);
    const detail = (await s.store.getChangeDetail(s.change.id))!;
    expect(detail.state).toBe('blocked');
    expect(detail.result?.message).toContain(
      "write-back 'git gitops:apps/python-api-base-prod/values.yaml image.tag' → 'none'",
    );
    expect(s.argoCalls).not.toHaveBeenCalled();
  });
});
