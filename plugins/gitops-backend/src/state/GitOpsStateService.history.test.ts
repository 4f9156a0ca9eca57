/* The read side against msw (Argo CD) and a real git repository (the GitOps repo): versions, deployers, links. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { ReadCache } from '../cache/ReadCache';
import { readGitopsConfig } from '../config';
import { environmentKey } from '../config/readExecution';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import { DeploymentService } from '../deployments/DeploymentService';
import { GitRevisionReader } from '../deployments/GitRevisionReader';
import { HealthObservationStore } from '../deployments/HealthObservationStore';
import { VersionEvidenceReader } from '../deployments/versionEvidence';
import { GitOpsStateService } from './GitOpsStateService';

const server = setupServer();
registerMswTestHooks(server);

const BASE = 'http://argo.test';
const TOKEN = 'a.b.c';
const IMG = 'images.example.org:5000/shop/api';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.org',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.org',
    },
  }).trim();
}

let tmp: string;
let repo: string;
const sha: Record<string, string> = {};
let knex: Knex;

function writeValues(app: string, tag: string) {
  const dir = path.join(repo, 'apps', app);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'values.yaml'),
    `# written by the image updater or by Backstage\nimage:\n  repository: ${IMG}\n  tag: ${tag}\n`,
  );
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-history-'));
  repo = path.join(tmp, 'gitops');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeValues('api-prod', 'v1.0.0');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'image updater: api-prod v1.0.0');
  sha.v100 = git(repo, 'rev-parse', 'HEAD');
  writeValues('api-prod', 'v1.1.0');
  git(repo, 'commit', '-q', '-am', 'gitops: promote api to v1.1.0 in prod');
  sha.v110 = git(repo, 'rev-parse', 'HEAD');
  // Another app's commit on top: Argo CD records the branch head.
  writeValues('other-prod', 'v9.9.9');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'other: v9.9.9');
  sha.other = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'tag', 'other-prod/v9.9.9');
});

afterAll(async () => {
  await knex?.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const prodApp: ArgoApplication = {
  metadata: {
    name: 'api-prod',
    namespace: 'team-shop',
    annotations: {
      'gitops.backstage.io/entity-ref': 'component:default/api',
      'gitops.backstage.io/pipeline': 'standard',
    },
  },
  spec: {
    project: 'shop',
    source: {
      repoURL: 'https://git.example.org/gitops.git',
      path: 'apps/api-prod',
    },
    destination: { namespace: 'shop' },
  },
  status: {
    sync: { status: 'Synced', revision: '' },
    health: { status: 'Healthy' },
    // Argo CD's sorted set of every container image: mesh proxy, init container, log shipper, the app.
    summary: {
      images: [
        'docker.io/istio/proxyv2:1.22.3',
        'docker.io/library/busybox:1.36.1',
        'images.example.org/logging/fluent-bit:3.0.4',
        `${IMG}:v1.1.0`,
      ],
    },
    history: [],
  },
};

function appFixture(): ArgoApplication {
  const app = structuredClone(prodApp);
  app.status!.sync!.revision = sha.other;
  app.status!.history = [
    {
      id: 1,
      revision: sha.v100,
      deployedAt: '2026-11-20T10:00:00Z',
      initiatedBy: { automated: true },
      source: app.spec.source,
    },
    {
      id: 2,
      revision: sha.v110,
      deployedAt: '2026-11-21T10:00:00Z',
      initiatedBy: { username: 'backstage' },
      source: app.spec.source,
    },
    {
      // a manual sync of the branch head, which is another app's commit
      id: 3,
      revision: sha.other,
      deployedAt: '2026-11-22T10:00:00Z',
      initiatedBy: { username: 'carol' },
      source: app.spec.source,
    },
  ];
  return app;
}

const multiApp: ArgoApplication = {
  metadata: {
    name: 'api-dev',
    namespace: 'argocd',
    annotations: {
      'gitops.backstage.io/entity-ref': 'component:default/api',
      'gitops.backstage.io/pipeline': 'standard',
    },
  },
  spec: {
    project: 'shop',
    sources: [
      {
        repoURL: 'https://charts.example.org',
        chart: 'api',
        targetRevision: '1.*',
      },
      { repoURL: 'https://git.example.org/gitops.git', ref: 'values' },
    ],
    destination: { namespace: 'shop' },
  },
  status: {
    health: { status: 'Healthy' },
    summary: { images: [`${IMG}:v1.1.0-dev.3`] },
    history: [
      {
        id: 5,
        revisions: ['1.4.2', 'c'.repeat(40)],
        deployedAt: '2026-11-22T10:00:00Z',
        initiatedBy: { automated: true },
        sources: [
          {
            repoURL: 'https://charts.example.org',
            chart: 'api',
            targetRevision: '1.*',
          },
          { repoURL: 'https://git.example.org/gitops.git', ref: 'values' },
        ],
      },
    ],
  },
};

const metadataCalls: string[] = [];

function argoHandlers(apps: ArgoApplication[]) {
  return [
    http.get(`${BASE}/api/v1/applications/:name`, ({ params }) => {
      const app = apps.find(a => a.metadata.name === params.name);
      return app
        ? HttpResponse.json(app)
        : HttpResponse.json(
            {
              error: 'permission denied',
              code: 7,
              message: 'permission denied',
            },
            { status: 403 },
          );
    }),
    http.get(
      `${BASE}/api/v1/applications/:name/revisions/:rev/metadata`,
      ({ params, request }) => {
        const q = new URL(request.url).searchParams;
        metadataCalls.push(
          `${params.name} ${params.rev} sourceIndex=${q.get(
            'sourceIndex',
          )} versionId=${q.get('versionId')} ns=${q.get('appNamespace')}`,
        );
        return HttpResponse.json({
          author: 'someone <s@example.org>',
          message: `commit ${String(params.rev).slice(0, 7)}`,
          // the shared repo's head carries the other app's tag
          tags: params.rev === sha.other ? ['other-prod/v9.9.9'] : [],
        });
      },
    ),
  ];
}

async function setup() {
  metadataCalls.length = 0;
  server.use(...argoHandlers([appFixture(), multiApp]));
  const cfg = readGitopsConfig(
    new ConfigReader({
      gitops: {
        argocd: {
          instances: [
            {
              name: 'local',
              url: BASE,
              externalUrl: 'https://argo.example.org/',
              token: TOKEN,
            },
          ],
        },
        git: { repositories: [{ name: 'gitops', url: repo, branch: 'main' }] },
        pipelines: {
          standard: {
            environments: [
              { name: 'dev', instance: 'local' },
              {
                name: 'prod',
                promotesFrom: 'dev',
                instance: 'local',
                writeBack: {
                  method: 'git',
                  repository: 'gitops',
                  path: 'apps/{app}-{env}/values.yaml',
                },
              },
            ],
          },
        },
      },
    }),
  );
  const client = ArgoCdClient.create({
    instances: cfg.instances,
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await DatabaseDeploymentStore.fromKnex(knex);
  const evidence = new VersionEvidenceReader({
    git: GitRevisionReader.create({
      repositories: cfg.git.repositories,
      workDir: path.join(tmp, `work-${Date.now()}`),
    }),
    writeBackOf: (p, e) =>
      cfg.environments.get(environmentKey(p, e))?.writeBack,
  });
  const deployments = new DeploymentService({
    store,
    evidence,
    observations: new HealthObservationStore(knex),
  });
  const service = GitOpsStateService.create({
    client,
    pipelines: cfg.pipelines,
    deployments,
  });
  return { service, deployments };
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

describe('GitOpsStateService: versions, deployers, links', () => {
  it("the card's version is the app's own image tag, never the sidecar's; the link carries the app namespace", async () => {
    const { service } = await setup();
    const state = await service.getEnvironments(entity);
    const prod = state.environments.find(e => e.name === 'prod')!;
    expect(prod.error).toBeUndefined();
    expect(prod.version).toBe('v1.1.0');
    // the newest history row (id 3, another app's commit) still names v1.1.0 for api-prod in Git
    expect(prod.versionIdentity).toMatchObject({
      status: 'known',
      source: 'image',
    });
    expect(prod.versionIdentity!.candidates.map(c => c.source)).toEqual([
      'image',
      'git',
    ]);
    expect(prod.application!.url).toBe(
      'https://argo.example.org/applications/team-shop/api-prod',
    );
    const dev = state.environments.find(e => e.name === 'dev')!;
    expect(dev.version).toBe('v1.1.0-dev.3');
    expect(dev.application!.url).toBe(
      'https://argo.example.org/applications/argocd/api-dev',
    );
  });

  it('every history row shows a version and who deployed it: the record for ours, Git for the image updater and manual syncs', async () => {
    const { service, deployments } = await setup();
    await deployments.recordStarted({
      changeId: 'ch-1',
      kind: 'promote',
      entityRef: 'component:default/api',
      environment: 'prod',
      pipeline: 'standard',
      instance: 'local',
      application: 'api-prod',
      appNamespace: 'team-shop',
      version: 'v1.1.0',
      fromVersion: 'v1.0.0',
      gitCommit: sha.v110,
      requestedBy: 'user:default/alice',
      approvers: ['user:default/bob'],
      override: false,
      startedAt: new Date('2026-11-21T09:59:00Z'),
    });
    await deployments.recordProgress('ch-1', {
      historyId: 2,
      syncedRevision: sha.v110,
      outcome: 'succeeded',
      finishedAt: new Date('2026-11-21T10:00:00Z'),
      healthySince: new Date('2026-11-21T10:01:00Z'),
    });
    // reading the environments notes the health of what runs (row 3, by carol)
    const before = Date.now();
    await service.getEnvironments(entity);
    const history = await service.getHistory(entity, 'prod');
    expect(history.errors).toEqual([]);
    expect(Date.parse(history.items[0].healthySince!)).toBeGreaterThanOrEqual(
      before - 1000,
    );
    expect(history.items[0].degradedAt).toBeUndefined();
    expect(history.items[2].healthySince).toBeUndefined();
    const rows = history.items.map(r => ({
      id: r.id,
      version: r.version,
      deployedBy: r.deployedBy,
      changeId: r.changeId,
      approvedBy: r.approvedBy,
      from: r.versionIdentity?.source,
    }));
    expect(rows).toEqual([
      // not the other app's tag other-prod/v9.9.9: api-prod's values file at that commit
      {
        id: '3',
        version: 'v1.1.0',
        deployedBy: 'carol',
        changeId: undefined,
        approvedBy: undefined,
        from: 'git',
      },
      {
        id: '2',
        version: 'v1.1.0',
        deployedBy: 'user:default/alice',
        changeId: 'ch-1',
        approvedBy: ['user:default/bob'],
        from: 'git',
      },
      {
        id: '1',
        version: 'v1.0.0',
        deployedBy: 'automated',
        changeId: undefined,
        approvedBy: undefined,
        from: 'git',
      },
    ]);
    expect(history.items[1].healthySince).toBe('2026-11-21T10:01:00.000Z');
    expect(
      history.items[1].versionIdentity!.candidates.map(c => c.source),
    ).toEqual(['git', 'record']);
    expect(history.items[0].url).toBe(
      'https://argo.example.org/applications/team-shop/api-prod',
    );
  });

  it('multi-source rows get commit metadata per source (sourceIndex, versionId); chart sources are not asked', async () => {
    const { service } = await setup();
    const history = await service.getHistory(entity, 'dev');
    expect(metadataCalls).toEqual([
      `api-dev ${'c'.repeat(40)} sourceIndex=1 versionId=5 ns=argocd`,
    ]);
    const row = history.items[0];
    expect(row.sources).toEqual([
      {
        index: 0,
        repoURL: 'https://charts.example.org',
        chart: 'api',
        revision: '1.4.2',
      },
      {
        index: 1,
        repoURL: 'https://git.example.org/gitops.git',
        revision: 'c'.repeat(40),
        commit: {
          sha: 'c'.repeat(40),
          author: 'someone <s@example.org>',
          message: `commit ${'c'.repeat(7)}`,
          tags: [],
          date: undefined,
        },
      },
    ]);
    expect(row.commit?.sha).toBe('c'.repeat(40));
    expect(row.revision).toBe('1.4.2');
    expect(row.deployedBy).toBe('automated');
  });
});
