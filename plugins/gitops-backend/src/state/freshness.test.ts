/* Two backend replicas sharing one database: a read after a change succeeded is fresh in both. */
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { ReadCache } from '../cache/ReadCache';
import { readGitopsConfig } from '../config';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DeploymentService } from '../deployments/DeploymentService';
import { VersionEvidenceReader } from '../deployments/versionEvidence';
import { GitOpsStateService } from './GitOpsStateService';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argo.test';
const IMG = 'images.example.org/shop/api';

function app(tag: string, historyId: number): ArgoApplication {
  return {
    metadata: {
      name: 'api-staging',
      namespace: 'argocd',
      annotations: {
        'gitops.backstage.io/entity-ref': 'component:default/api',
        'gitops.backstage.io/pipeline': 'standard',
      },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.org/gitops.git',
        path: 'apps/api-staging',
        helm: { parameters: [{ name: 'image.tag', value: tag }] },
      },
      destination: {},
    },
    status: {
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      summary: { images: [`${IMG}:${tag}`] },
      history: [{ id: historyId, revision: 'a'.repeat(40) }],
    },
  };
}

const entity: any = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'api',
    namespace: 'default',
    annotations: { 'gitops/app': 'api' },
  },
};

let knex: Knex;
afterAll(() => knex?.destroy());

describe('fresh reads after our own changes, in every replica', () => {
  it('a replica with a warm cache sees the new version once the other replica recorded the deployment', async () => {
    let live = app('v1.0.0-rc.1', 1);
    let upstreamReads = 0;
    server.use(
      http.get(`${BASE}/api/v1/applications/:name`, () => {
        upstreamReads += 1;
        return HttpResponse.json(live);
      }),
    );
    const cfg = readGitopsConfig(
      new ConfigReader({
        gitops: {
          argocd: {
            instances: [{ name: 'local', url: BASE, token: 'a.b.c' }],
          },
          pipelines: {
            standard: {
              environments: [{ name: 'staging', instance: 'local' }],
            },
          },
        },
      }),
    );
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    const store = await DatabaseDeploymentStore.fromKnex(knex);
    // Each replica: its own Argo CD client and cache (60 s), one shared database.
    const replica = () => {
      const deployments = new DeploymentService({
        store,
        evidence: new VersionEvidenceReader({}),
      });
      const service = GitOpsStateService.create({
        client: ArgoCdClient.create({
          instances: cfg.instances,
          cache: ReadCache.create({ defaultTtlMs: 60_000 }),
        }),
        pipelines: cfg.pipelines,
        deployments,
      });
      return { deployments, service };
    };
    const a = replica();
    const b = replica();
    const version = async () =>
      (await a.service.getEnvironments(entity)).environments[0].version;

    expect(await version()).toBe('v1.0.0-rc.1');
    const reads = upstreamReads;
    // Argo CD moves on, but nothing of ours happened: replica A serves its cache.
    live = app('v1.0.0-rc.2', 2);
    expect(await version()).toBe('v1.0.0-rc.1');
    expect(upstreamReads).toBe(reads);

    // Replica B executes a change and records it before reporting success.
    await b.deployments.recordStarted({
      changeId: 'ch-1',
      kind: 'promote',
      entityRef: 'component:default/api',
      environment: 'staging',
      pipeline: 'standard',
      instance: 'local',
      application: 'api-staging',
      version: 'v1.0.0-rc.2',
      requestedBy: 'user:default/alice',
      approvers: [],
      override: false,
      startedAt: new Date(),
    });
    await b.deployments.recordProgress('ch-1', {
      outcome: 'succeeded',
      finishedAt: new Date(),
      historyId: 2,
    });
    expect(await version()).toBe('v1.0.0-rc.2');
    expect(upstreamReads).toBe(reads + 1);
    // and then the cache serves again until the next recorded change
    expect(await version()).toBe('v1.0.0-rc.2');
    expect(upstreamReads).toBe(reads + 1);
  });
});
