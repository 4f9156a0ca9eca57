/*
 * Execution with the real policy: the plugin's ChangeService re-checks every
 * change with the example app-config's pipeline (approvals by platform-team,
 * no self-approval, staging must have run the version, the prod window, a
 * dry-run first), reading the environments from the emulator through the
 * read side. The clock is Wednesday 10:00 UTC (inside the prod window).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { parse } from 'yaml';
import { PolicyService } from '../../policy';
import { createEnvironmentStateReader } from '../../adapters/stateReader';
import { readGitopsConfig } from '../../config';
import { GitOpsStateService } from '../../state/GitOpsStateService';
import { createHarness, Harness } from './__testUtils__/harness';
import { VerificationService } from '../../verification/VerificationService';
import { VerificationStore } from '../../verification/VerificationStore';
import { sameCoreImageFacts } from '../../registry/__testUtils__/sameCoreImageFacts';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'python-api-base',
    namespace: 'default',
    annotations: {
      'gitops/app': 'python-api-base',
      'gitops/pipeline': 'standard',
    },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

const CLAIMS: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-a'],
  'user:default/bob': ['user:default/bob', 'group:default/platform-team'],
  'user:default/carol': ['user:default/carol', 'group:default/platform-team'],
  'user:default/dave': ['user:default/dave', 'group:default/sre'],
};

/** The example app-config's `gitops` section, pointed at the test emulator. */
function exampleConfig(url: string, token: string) {
  const file = path.resolve(__dirname, '../../../../../app-config.yaml');
  const { helm: _helm, ...gitops } = parse(
    fs.readFileSync(file, 'utf8'),
  ).gitops;
  const instance = (name: string) => ({ name, url, token });
  return new ConfigReader({
    gitops: {
      ...gitops,
      argocd: { instances: [instance('local'), instance('secondary')] },
    },
  });
}

describe('execution with the real policy (example app-config)', () => {
  let h: Harness;
  /** QA's sign-off in staging (the example's prod requires verified-in-staging). */
  let verification: VerificationService;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const verifications = await VerificationStore.fromKnex(knex);
    h = await createHarness({
      knex,
      policy: ({ argo, emulator }) => {
        const config = exampleConfig(emulator.url, emulator.token);
        const { pipelines, policies } = readGitopsConfig(config);
        const state = GitOpsStateService.create({ client: argo, pipelines });
        const reader = createEnvironmentStateReader({ state, client: argo });
        verification = new VerificationService({
          store: verifications,
          policies,
          reader,
          argo,
          entity: async () => ENTITY,
          requireSignOffPermission: async () => undefined,
          logger: mockServices.logger.mock(),
        });
        return PolicyService.create({
          policies,
          reader: {
            ...reader,
            getImageFacts: sameCoreImageFacts(),
            getVerificationFacts: (e, env) => verification.facts(e, env),
          },
          entities: {
            getEntity: async ref =>
              ref === 'component:default/python-api-base' ? ENTITY : undefined,
          },
          logger: mockServices.logger.mock(),
          serviceCredentials: async () => mockCredentials.service(),
        });
      },
    });
  });

  afterAll(() => h?.stop());

  async function run(id: string) {
    const runner = h.runner();
    await runner.kick(id);
    await runner.whenIdle(id);
    return (await h.store.getChangeDetail(id))!;
  }

  it('promotes to staging and then, approved by platform-team, to prod', async () => {
    const staging = await run(
      (
        await h.approvedChange(
          {
            environment: 'staging',
            version: 'v1.2.0-rc.2',
            fromVersion: 'v1.2.0-rc.1',
            sourceEnvironment: 'dev',
          },
          [],
          CLAIMS,
        )
      ).id,
    );
    expect(`${staging.state} ${staging.result?.message}`).toBe(
      'succeeded promote of v1.2.0-rc.2 to staging succeeded',
    );
    // erin (QA) signs off the rc staging now runs (its PostSync smoke test passed)
    await verification.decide(
      'component:default/python-api-base',
      'staging',
      { version: 'v1.2.0-rc.2', decision: 'verified', comment: 'tested' },
      {
        credentials: mockCredentials.user('user:default/erin'),
        userEntityRef: 'user:default/erin',
        claims: ['user:default/erin', 'group:default/qa'],
      },
    );

    const prod = await run(
      (
        await h.approvedChange(
          {
            environment: 'prod',
            version: 'v1.2.0',
            fromVersion: 'v1.1.4',
            sourceEnvironment: 'staging',
          },
          ['user:default/bob'],
          CLAIMS,
        )
      ).id,
    );
    expect(`${prod.state} ${prod.result?.message}`).toBe(
      'succeeded promote of v1.2.0 to prod succeeded',
    );
    const recheck = prod.events.find(e => e.type === 'step.recheck')!;
    const checks = (
      recheck.data?.checks as Array<{ id: string; status: string }>
    ).map(c => `${c.id}:${c.status}`);
    expect(checks).toEqual(
      expect.arrayContaining([
        'approvals:pass',
        'sync-window:pass',
        'previous-environment-healthy:pass',
        'manual-sync:pass',
      ]),
    );
    expect(prod.events.map(e => e.type)).toContain('step.dry-run');
  });

  it('refuses, before writing anything, a prod promotion whose approver is not an approver', async () => {
    const head = h.gitLog().split('\n')[0];
    const done = await run(
      (
        await h.approvedChange(
          {
            environment: 'prod',
            version: 'v1.2.0',
            sourceEnvironment: 'staging',
            requestedBy: 'user:default/dave',
          },
          ['user:default/alice'],
          CLAIMS,
        )
      ).id,
    );
    expect(done.state).toBe('failed');
    expect(done.result).toMatchObject({
      failedStep: 'precheck',
      rollbackOffered: false,
    });
    expect(done.result?.commitSha).toBeUndefined();
    expect(done.result?.message).toMatch(/approv/i);
    expect(h.gitLog().split('\n')[0]).toBe(head);
  });

  it('rolls prod back by git revert without the staging check, keeping approvals', async () => {
    const done = await run(
      (
        await h.approvedChange(
          {
            environment: 'prod',
            kind: 'rollback',
            version: 'v1.1.4',
            fromVersion: 'v1.2.0',
            rollbackTo: { version: 'v1.1.4' },
            requestedBy: 'user:default/dave',
          },
          ['user:default/carol'],
          CLAIMS,
        )
      ).id,
    );
    expect(`${done.state} ${done.result?.message}`).toBe(
      'succeeded rollback of v1.1.4 to prod succeeded',
    );
    const checks = (
      done.events.find(e => e.type === 'step.recheck')!.data?.checks as Array<{
        id: string;
        status: string;
      }>
    ).map(c => `${c.id}:${c.status}`);
    expect(checks).toEqual(
      expect.arrayContaining([
        'rollback-target:pass',
        'approvals:pass',
        'sync-window:pass',
      ]),
    );
    expect(checks.some(c => c.startsWith('previous-environment-healthy'))).toBe(
      false,
    );
    expect(done.events.find(e => e.type === 'step.write')?.data).toMatchObject({
      method: 'git-revert',
    });
  });
});
