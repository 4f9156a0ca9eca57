/**
 * PostSync hooks: staging's chart has a smoke-test Job annotated
 * `argocd.argoproj.io/hook: PostSync`; a full sync runs it after the Sync
 * phase and reports it in `status.operationState.syncResult.resources[]`
 * (`hookType: PostSync`, `hookPhase`), never as a compared resource. A
 * `smokefail` tag fails it, and with it the operation.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { replaceTag } from '../../seed';
import { EmulatorHandle, startEmulator } from '../../startEmulator';
import { httpRequest, waitFor } from '../../testing/http';

jest.setTimeout(60_000);

let emu: EmulatorHandle;
const APP = 'python-api-base-staging';
const get = async (p: string) =>
  httpRequest('GET', `${emu.url}${p}`, { token: emu.token });
const post = async (p: string, body: unknown) =>
  httpRequest('POST', `${emu.url}${p}`, { token: emu.token, body });

async function deploy(tag: string, body: unknown = {}) {
  const file = path.join(emu.repoDir, 'apps', APP, 'values.yaml');
  fs.writeFileSync(file, replaceTag(fs.readFileSync(file, 'utf8'), tag));
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
    `apps/${APP}/values.yaml`,
  ]);
  await get(`/api/v1/applications/${APP}?refresh=hard`);
  await post(`/api/v1/applications/${APP}/sync`, body);
  return waitFor(async () => {
    const a = (await get(`/api/v1/applications/${APP}`)).body;
    return a.status.operationState?.phase !== 'Running' &&
      a.status.health.status !== 'Progressing'
      ? a
      : undefined;
  }, `${APP} settled`);
}

beforeAll(async () => {
  emu = await startEmulator({
    operationDurationMs: 20,
    healthProgressingMs: 20,
    reconcileIntervalMs: 3_600_000,
    users: { admin: 'pw' },
  });
});
afterAll(async () => {
  await emu.stop();
});

describe('PostSync hooks', () => {
  it('a sync of staging runs its smoke-test Job after the Sync phase', async () => {
    const app = await deploy('v1.2.0-rc.2');
    expect(app.status.operationState.phase).toBe('Succeeded');
    const hooks = app.status.operationState.syncResult.resources.filter(
      (r: any) => r.hookType,
    );
    expect(hooks).toEqual([
      {
        group: 'batch',
        version: 'v1',
        kind: 'Job',
        namespace: 'shop-staging',
        name: 'python-api-base-smoke-test',
        status: 'Synced',
        message: 'Reached expected number of succeeded pods',
        hookType: 'PostSync',
        hookPhase: 'Succeeded',
        syncPhase: 'PostSync',
        images: ['example.org/shop/python-api-base:v1.2.0-rc.2'],
      },
    ]);
    // the hook is not one of the application's compared resources
    expect(app.status.sync.status).toBe('Synced');
    expect(app.status.resources.map((r: any) => r.kind)).not.toContain('Job');
    expect(app.status.history.at(-1).revision).toBe(
      app.status.operationState.syncResult.revision,
    );
  });

  it('a smokefail tag fails the hook and the operation; no history row', async () => {
    const before = (await get(`/api/v1/applications/${APP}`)).body;
    const app = await deploy('v1.2.0-rc.3-smokefail');
    expect(app.status.operationState).toMatchObject({
      phase: 'Failed',
      message:
        'one or more synchronization tasks completed unsuccessfully, reason: Job has reached the specified backoff limit',
    });
    expect(
      app.status.operationState.syncResult.resources.find(
        (r: any) => r.hookType === 'PostSync',
      ),
    ).toMatchObject({
      hookPhase: 'Failed',
      name: 'python-api-base-smoke-test',
    });
    expect(app.status.history).toHaveLength(before.status.history.length);
  });

  it('a dry run runs no hook', async () => {
    await post(`/api/v1/applications/${APP}/sync`, { dryRun: true });
    const dry = await waitFor(async () => {
      const a = (await get(`/api/v1/applications/${APP}`)).body;
      return a.status.operationState?.phase !== 'Running' ? a : undefined;
    }, 'dry run done');
    expect(
      dry.status.operationState.syncResult.resources.some(
        (r: any) => r.hookType === 'PostSync',
      ),
    ).toBe(false);
  });
});
