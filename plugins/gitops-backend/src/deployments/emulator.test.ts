/* Versions and deployers against the Argo CD emulator and its real GitOps repository. */
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { ConfigReader } from '@backstage/config';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import knexFactory, { Knex } from 'knex';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ReadCache } from '../cache/ReadCache';
import { readGitopsConfig } from '../config';
import { environmentKey } from '../config/readExecution';
import { GitOpsStateService } from '../state/GitOpsStateService';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import { DeploymentService } from './DeploymentService';
import { GitRevisionReader } from './GitRevisionReader';
import { HealthObservationStore } from './HealthObservationStore';
import { VersionEvidenceReader } from './versionEvidence';
import { parseImageRef } from './versionIdentity';

jest.setTimeout(60_000);

let emu: EmulatorHandle;
let knex: Knex;
let work: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0, instance: 'local' });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-deployments-emu-'));
});

afterAll(async () => {
  await knex?.destroy();
  await emu?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const writeBack = {
  method: 'git',
  repository: 'gitops',
  path: 'apps/{app}-{env}/values.yaml',
  key: 'image.tag',
};

async function setup() {
  const cfg = readGitopsConfig(
    new ConfigReader({
      gitops: {
        argocd: {
          instances: [
            { name: 'local', url: emu.url, token: emu.token, timeout: '10s' },
          ],
        },
        git: {
          repositories: [{ name: 'gitops', url: emu.repoDir, branch: 'main' }],
        },
        defaultPipeline: 'standard',
        pipelines: {
          standard: {
            applicationName: '{app}-{env}',
            environments: [
              { name: 'dev', instance: 'local', writeBack },
              {
                name: 'staging',
                promotesFrom: 'dev',
                instance: 'local',
                writeBack,
              },
              {
                name: 'prod',
                promotesFrom: 'staging',
                instance: 'local',
                writeBack,
              },
            ],
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
  const deployments = new DeploymentService({
    store,
    observations: new HealthObservationStore(knex),
    evidence: new VersionEvidenceReader({
      git: GitRevisionReader.create({
        repositories: cfg.git.repositories,
        workDir: path.join(work, 'git'),
      }),
      writeBackOf: (p, e) =>
        cfg.environments.get(environmentKey(p, e))?.writeBack,
    }),
  });
  const client = ArgoCdClient.create({
    instances: cfg.instances,
    cache: ReadCache.create({ defaultTtlMs: 0 }),
  });
  const service = GitOpsStateService.create({
    client,
    pipelines: cfg.pipelines,
    deployments,
  });
  return { service, client };
}

const entity: any = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: { 'gitops/app': 'python-api-base' },
  },
};

describe('versions and deployers against the emulator', () => {
  it("each environment's version is its own image's tag, agreeing with Git at the synced revision", async () => {
    const { service } = await setup();
    const state = await service.getEnvironments(entity);
    for (const env of state.environments) {
      expect(env.error).toBeUndefined();
      const identity = env.versionIdentity!;
      expect(identity.status).toBe('known');
      // The repository comes from the values file (image.repository beside image.tag).
      const git = identity.candidates.find(c => c.source === 'git');
      expect(git?.detail).toBe(
        `apps/python-api-base-${env.name}/values.yaml: image.tag`,
      );
      const image = identity.candidates.find(c => c.source === 'image');
      expect(image).toBeDefined();
      expect(parseImageRef(image!.detail!).tag).toBe(env.version);
      expect(env.version).toBe(git!.version);
      expect(env.application!.url).toBe(
        `${emu.url}/applications/${
          env.application!.namespace
        }/python-api-base-${env.name}`,
      );
    }
  });

  it('every Argo CD history row of prod shows a version (from Git at that revision) and who deployed it', async () => {
    const { service } = await setup();
    const history = await service.getHistory(entity, 'prod');
    const rows = history.items.filter(r => r.source === 'argocd');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.version).toMatch(/^v\d+\.\d+\.\d+/);
      expect(r.versionIdentity?.source).toBe('git');
      expect(r.deployedBy).toBeTruthy();
    }
  });
});
