/*
 * Execution edge cases against the emulator: the `argocd` write-back (Helm
 * parameter override), a sync that fails in Argo CD, and another operation
 * in progress when our sync is due.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { startEmulator } from '@internal/argocd-emulator';
import {
  createHarness,
  Harness,
  IN_WINDOW,
  movingClock,
} from './__testUtils__/harness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('execution edge cases', () => {
  let h: Harness;
  let stopEmulator: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    const clock = movingClock(IN_WINDOW);
    const emulator = await startEmulator({
      port: 0,
      instance: 'local',
      clock,
      operationDurationMs: 150,
      healthProgressingMs: 150,
      reconcileIntervalMs: 100,
      syncFailTags: ['v9.9.9'],
    });
    h = await createHarness({
      knex: await databases.init('SQLITE_3'),
      clock,
      emulator,
      target: { writeBack: { method: 'argocd', parameter: 'image.tag' } },
    });
    stopEmulator = () => emulator.stop();
  });

  afterAll(async () => {
    await h?.stop();
    await stopEmulator?.();
  });

  async function run(id: string) {
    const runner = h.runner();
    await runner.kick(id);
    await runner.whenIdle(id);
    return (await h.store.getChangeDetail(id))!;
  }

  it('argocd write-back: sets the Helm parameter (forceString) and syncs it, no commit', async () => {
    const commits = h.gitLog();
    const change = await h.approvedChange(
      { environment: 'prod', version: 'v1.2.0', fromVersion: 'v1.1.4' },
      ['user:default/bob'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    expect(done.events.find(e => e.type === 'step.write')?.data).toMatchObject({
      method: 'argocd',
      parameter: 'image.tag',
      value: 'v1.2.0',
      changed: true,
    });
    const prod = await h.argo.getApplication('local', 'python-api-base-prod');
    expect(prod.spec.source?.helm?.parameters).toEqual([
      { name: 'image.tag', value: 'v1.2.0', forceString: true },
    ]);
    expect(prod.status?.summary?.images?.[0]).toMatch(/:v1\.2\.0$/);
    expect(done.result?.commitSha).toBeUndefined();
    expect(h.gitLog()).toBe(commits);
  });

  it("a sync that fails in Argo CD fails the change at follow, with Argo CD's message", async () => {
    const change = await h.approvedChange(
      { environment: 'prod', version: 'v9.9.9', fromVersion: 'v1.2.0' },
      ['user:default/bob'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('failed');
    expect(done.result?.failedStep).toMatch(/^(dry-run|follow)$/);
    expect(done.result?.rollbackOffered).toBe(true);
    expect(done.result?.message).toMatch(/Failed|Error/);
  });

  it('waits for another operation in progress, then syncs', async () => {
    // put prod back on a good version through the parameter, then let someone else sync slowly
    await h.argo.patchApplication('local', 'python-api-base-prod', {
      patch: JSON.stringify({
        spec: {
          source: {
            helm: {
              parameters: [
                { name: 'image.tag', value: 'v1.2.0', forceString: true },
              ],
            },
          },
        },
      }),
      patchType: 'merge',
    });
    h.emulator.setFaults({ slowOperationsMs: 1500 });
    await h.argo.sync('local', 'python-api-base-prod', {
      infos: [{ name: 'who', value: 'someone-else' }],
    });
    h.emulator.setFaults({}, true);
    const change = await h.approvedChange(
      { environment: 'prod', kind: 'sync', version: 'v1.2.0' },
      ['user:default/bob'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    // the dry-run (first operation of the change) waited for the foreign sync
    expect(
      done.events.find(e => e.type === 'step.dry-run')?.data?.waitedFor,
    ).toMatch(/^waiting for another operation \((Pending|Running)/);
    const prod = await h.argo.getApplication('local', 'python-api-base-prod');
    expect(prod.status?.operationState?.operation?.info).toEqual(
      expect.arrayContaining([{ name: 'gitops-change', value: change.id }]),
    );
  });
});
