/*
 * Rollback by Argo CD history against the emulator: refused while auto-sync
 * is on unless the policy allows turning it off; then auto-sync is turned
 * off (recorded) and Argo CD rolls back to the history id.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ArgoApplication } from '../../argocd/types';
import { createHarness, Harness } from './__testUtils__/harness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function rollBackStaging(h: Harness) {
  const before = await h.argo.getApplication(
    'local',
    'python-api-base-staging',
  );
  const history = before.status!.history!;
  const previous = history[history.length - 2];
  const change = await h.approvedChange({
    environment: 'staging',
    kind: 'rollback',
    rollbackTo: { historyId: String(previous.id) },
    requestedBy: 'user:default/dave',
  });
  const runner = h.runner();
  await runner.kick(change.id);
  await runner.whenIdle(change.id);
  const done = (await h.store.getChangeDetail(change.id))!;
  const after: ArgoApplication = await h.argo.getApplication(
    'local',
    'python-api-base-staging',
  );
  return { before, previous, done, after };
}

describe('rollback by Argo CD history while auto-sync is on', () => {
  let h: Harness;
  afterEach(() => h?.stop());

  it("is refused with Argo CD's reason when the policy does not allow turning auto-sync off", async () => {
    h = await createHarness({
      knex: await databases.init('SQLITE_3'),
      // Argo CD's history rollback is for environments without a git
      // write-back (with one, every rollback writes Git: see plan.ts).
      target: { allowDisableAutoSync: false, writeBack: undefined },
    });
    const { before, done, after } = await rollBackStaging(h);
    expect(before.spec.syncPolicy?.automated).toBeTruthy();
    expect(done.state).toBe('failed');
    expect(done.result).toMatchObject({
      failedStep: 'disable-auto-sync',
      rollbackOffered: false,
    });
    expect(done.result?.message).toContain(
      'rollback cannot be initiated when auto-sync is enabled',
    );
    expect(after.spec.syncPolicy?.automated).toBeTruthy();
    expect(after.status?.sync?.revision).toBe(before.status?.sync?.revision);
  });

  it('turns auto-sync off, records it and rolls back when the policy allows it', async () => {
    h = await createHarness({
      knex: await databases.init('SQLITE_3'),
      target: { allowDisableAutoSync: true, writeBack: undefined },
    });
    const { before, previous, done, after } = await rollBackStaging(h);
    expect(done.state).toBe('succeeded');
    const disabled = done.events.find(
      e => e.type === 'step.disable-auto-sync',
    )!;
    expect(disabled.data).toMatchObject({
      changed: true,
      previous: before.spec.syncPolicy?.automated,
    });
    expect(after.spec.syncPolicy?.automated ?? null).toBeNull();
    // Argo CD after a rollback: the old revision runs, Git is unchanged, so the app is OutOfSync
    expect(after.status?.operationState?.syncResult?.revision).toBe(
      previous.revision,
    );
    expect(after.status?.summary?.images?.[0]).toMatch(/:v1\.1\.4-rc\.2$/);
    expect(after.status?.sync?.status).toBe('OutOfSync');
    expect(after.status?.health?.status).toBe('Healthy');
  });
});
