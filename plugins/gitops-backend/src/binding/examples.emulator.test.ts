/*
 * The example catalog against the emulator's seeded applications, with the
 * example app-config's pipelines: the owners' tabs show their apps, the rogue
 * entity's tab shows every environment refused with the reason.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import { EntityGitOpsState } from '@internal/plugin-gitops-common';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import YAML from 'yaml';
import { loadExampleAppConfig } from '../__testUtils__/appConfig';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { argoCdClientServiceRef } from '../argocd/argoCdClientServiceRef';
import { ReadCache } from '../cache/ReadCache';
import { gitopsPlugin } from '../plugin';

jest.setTimeout(60_000);

const examples = path.resolve(__dirname, '../../../../examples/entities.yaml');
const ENTITIES = YAML.parseAllDocuments(fs.readFileSync(examples, 'utf8'))
  .map(d => d.toJS() as Entity)
  .filter(e => e.kind === 'Component')
  .map(e => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));

let local: EmulatorHandle;
let secondary: EmulatorHandle;
beforeAll(async () => {
  [local, secondary] = await Promise.all([
    startEmulator({ port: 0, instance: 'local' }),
    startEmulator({
      port: 0,
      instance: 'secondary',
      users: { admin: 'emulator-pw' },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([local?.stop(), secondary?.stop()]);
});

async function start() {
  const example = loadExampleAppConfig().getConfig('gitops');
  const instances = [
    { name: 'local', url: local.url, token: local.token, timeout: '10s' },
    {
      name: 'secondary',
      url: secondary.url,
      username: 'admin',
      password: 'emulator-pw',
      timeout: '10s',
    },
  ];
  const data = {
    gitops: {
      argocd: { instances },
      defaultPipeline: example.getOptionalString('defaultPipeline'),
      pipelines: example.getConfig('pipelines').get(),
      git: {
        repositories: [{ name: 'gitops', url: local.repoDir, branch: 'main' }],
      },
      cache: { ttl: '0s' },
    },
  };
  const client = ArgoCdClient.create({
    instances: instances.map(i => ({
      name: i.name,
      url: i.url,
      externalUrl: i.url,
      token: i.token,
      username: i.username,
      password: i.password,
      timeoutMs: 10_000,
      concurrency: 4,
    })),
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({ data }),
      catalogServiceMock.factory({ entities: ENTITIES }),
      createServiceFactory({
        service: argoCdClientServiceRef,
        deps: {},
        factory: () => client,
      }),
    ],
  });
  return server;
}

const base = '/api/gitops/entities/component/default';

describe('example catalog and emulator bindings', () => {
  it('the owners see their applications; the rogue entity is refused on every environment', async () => {
    const app = await start();
    const get = async (name: string) => {
      const res = await request(app).get(`${base}/${name}/environments`);
      expect(res.status).toBe(200);
      return (res.body as EntityGitOpsState).environments;
    };
    const owner = await get('python-api-base');
    expect(owner.map(e => [e.name, e.application?.name, e.error])).toEqual([
      ['dev', 'python-api-base-dev', undefined],
      ['staging', 'python-api-base-staging', undefined],
      ['prod', 'python-api-base-prod', undefined],
    ]);
    const payments = await get('payments-worker');
    expect(payments.map(e => e.application?.name ?? e.error?.message)).toEqual([
      'payments-worker-dev',
      'payments-worker-prod',
    ]);
    const rogue = await get('bob-tools');
    expect(rogue).toHaveLength(3);
    for (const e of rogue) {
      expect(e.application).toBeUndefined();
      expect(e.error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'is not bound to component:default/bob-tools: it is bound to component:default/python-api-base',
        ),
      });
    }
  });
});
