/* The troubleshooting routes of the whole plugin against the real Argo CD emulator. */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import { gitopsTroubleshootingPaths } from '@internal/plugin-gitops-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { gitopsPlugin } from '../plugin';

jest.setTimeout(90_000);

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
  spec: {},
};

let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    instance: 'local',
    operationDurationMs: 50,
    healthProgressingMs: 50,
    reconcileIntervalMs: 3_600_000,
  });
});

afterAll(async () => {
  await emu?.stop();
});

function commitTag(app: string, tag: string) {
  const file = path.join(emu.repoDir, 'apps', app, 'values.yaml');
  fs.writeFileSync(
    file,
    fs.readFileSync(file, 'utf8').replace(/^(\s+tag:\s*).*$/m, `$1"${tag}"`),
  );
  execFileSync('git', [
    '-C',
    emu.repoDir,
    '-c',
    'user.name=T',
    '-c',
    'user.email=t@example.org',
    'commit',
    '-q',
    '-m',
    `promote ${tag}`,
    '--',
    `apps/${app}/values.yaml`,
  ]);
}

async function start(
  permission:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server } = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            argocd: {
              instances: [
                {
                  name: 'local',
                  url: emu.url,
                  token: emu.token,
                  timeout: '10s',
                },
              ],
            },
            defaultPipeline: 'standard',
            pipelines: {
              standard: {
                applicationName: '{app}-{env}',
                environments: [
                  { name: 'dev', instance: 'local' },
                  { name: 'staging', promotesFrom: 'dev', instance: 'local' },
                  { name: 'prod', promotesFrom: 'staging', instance: 'local' },
                ],
              },
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [ENTITY] }),
      mockServices.permissions.factory({ result: permission }),
    ],
  });
  return server;
}

const url = (
  env: string,
  part: Parameters<typeof gitopsTroubleshootingPaths.part>[4],
) =>
  `/api/gitops${gitopsTroubleshootingPaths.part(
    'component',
    'default',
    'python-api-base',
    env,
    part,
  )}`;

async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  what: string,
): Promise<T> {
  const until = Date.now() + 30_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 100));
  }
}

describe('troubleshooting against the emulator', () => {
  it('a tag that was never built: Degraded tree down to the pod, its ImagePullBackOff event, its logs', async () => {
    const server = await start();
    commitTag('python-api-base-staging', 'v9.9.9');
    const argo = (p: string, method = 'GET') =>
      fetch(`${emu.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${emu.token}` },
      });
    await argo('/api/v1/applications/python-api-base-staging?refresh=hard');
    await argo('/api/v1/applications/python-api-base-staging/sync', 'POST');
    const tree = await waitFor(async () => {
      const res = await request(server)
        .get(url('staging', 'tree'))
        .query({ health: 'Degraded' });
      return res.body.health === 'Degraded' && res.body.roots.length
        ? res.body
        : undefined;
    }, 'staging Degraded');
    const dep = tree.roots.find((n: any) => n.kind === 'Deployment');
    const rs = dep.children.find((n: any) => n.kind === 'ReplicaSet');
    const pod = rs.children.find((n: any) => n.kind === 'Pod');
    expect(pod.unhealthyPath).toBe(true);
    expect(pod.info).toContainEqual({
      name: 'Status Reason',
      value: 'ImagePullBackOff',
    });
    expect(pod.containers).toEqual([{ name: 'python-api-base' }]);

    const events = await request(server).get(url('staging', 'events')).query({
      resourceUID: pod.uid,
      resourceName: pod.name,
      resourceNamespace: pod.namespace,
    });
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: any) => e.message)).toContain(
      'Error: ImagePullBackOff',
    );

    const logs = await request(server)
      .get(url('staging', 'logs'))
      .query({ podName: pod.name });
    expect(logs.status).toBe(200);
    expect(
      logs.text
        .trim()
        .split('\n')
        .map(l => JSON.parse(l)),
    ).toEqual([
      {
        type: 'error',
        message: `Argo CD ended the log stream: container "python-api-base" in pod "${pod.name}" is waiting to start: trying and failing to pull image`,
      },
    ]);

    const oos = await request(server).get(url('staging', 'out-of-sync'));
    expect(oos.status).toBe(200);
    expect(oos.body.syncStatus).toBe('Synced');
  });

  it('logs of a running pod, bounded by tailLines; without gitops.logs.read a 403', async () => {
    const server = await start();
    const treeRes = await request(server).get(url('dev', 'tree'));
    if (treeRes.status !== 200) throw new Error(JSON.stringify(treeRes.body));
    const tree = treeRes.body;
    const pod = tree.roots
      .find((n: any) => n.kind === 'Deployment')
      .children[0].children.find((n: any) => n.kind === 'Pod');
    const res = await request(server)
      .get(url('dev', 'logs'))
      .query({ podName: pod.name, tailLines: '5' });
    const lines = res.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(
      lines
        .slice(0, 5)
        .every((l: any) => l.type === 'log' && l.podName === pod.name),
    ).toBe(true);
    expect(lines[5]).toEqual({ type: 'end', reason: 'done' });

    const denied = await start(AuthorizeResult.DENY);
    const refused = await request(denied)
      .get(url('dev', 'logs'))
      .query({ podName: pod.name });
    expect(refused.status).toBe(403);
  });

  it('a failing PreSync hook: the last operation names it, with the Failed phase', async () => {
    const server = await start();
    commitTag('python-api-base-prod', 'v1.4.0-hookfail');
    const argo = (p: string, method = 'GET') =>
      fetch(`${emu.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${emu.token}` },
      });
    await argo('/api/v1/applications/python-api-base-prod?refresh=hard');
    const oos = (await request(server).get(url('prod', 'out-of-sync'))).body;
    expect(oos.items.find((i: any) => i.kind === 'Deployment')).toMatchObject({
      cause: 'new-image-tag',
    });
    await argo('/api/v1/applications/python-api-base-prod/sync', 'POST');
    const op = await waitFor(async () => {
      const res = await request(server).get(url('prod', 'operation'));
      return res.body.operation?.phase === 'Failed'
        ? res.body.operation
        : undefined;
    }, 'prod sync Failed');
    expect(op.results[0]).toMatchObject({
      kind: 'Job',
      name: 'python-api-base-prod-db-migrate',
      hookType: 'PreSync',
      hookPhase: 'Failed',
      failed: true,
    });
  });
});
