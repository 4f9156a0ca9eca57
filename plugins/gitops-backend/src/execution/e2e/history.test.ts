/*
 * Rollback by Argo CD history against the emulator: refused while auto-sync
 * is on unless the policy allows turning it off; then auto-sync is turned
 * off (recorded) and Argo CD rolls back to the history id.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { createHarness, Harness } from './harness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe.each([false, true])('rollback by Argo CD history (allowDisableAutoSync: %s)', allow => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({
      knex: await databases.init('SQLITE_3'),
      target: { allowDisableAutoSync: allow },
    });
  });

  afterAll(() => h?.stop());

  it(allow ? 'turns auto-sync off, records it and rolls back' : 'refuses with Argo CD\'s reason', async () => {
    const before = await h.argo.getApplication('local', 'python-api-base-staging');
    expect(before.spec.syncPolicy?.automated).toBeTruthy();
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
    const after = await h.argo.getApplication('local', 'python-api-base-staging');

    if (!allow) {
      expect(done.state).toBe('failed');
      expect(done.result).toMatchObject({ failedStep: 'disable-auto-sync', rollbackOffered: false });
      expect(done.result?.message).toContain('rollback cannot be initiated when auto-sync is enabled');
      expect(after.spec.syncPolicy?.automated).toBeTruthy();
      expect(after.status?.sync?.revision).toBe(before.status?.sync?.revision);
      return;
    }
    expect(done.state).toBe('succeeded');
    const disabled = done.events.find(e => e.type === 'step.disable-auto-sync')!;
    expect(disabled.data).toMatchObject({ changed: true, previous: before.spec.syncPolicy?.automated });
    expect(after.spec.syncPolicy?.automated ?? null).toBeNull();
    // Argo CD after a rollback: the old revision runs, Git is unchanged, so the app is OutOfSync
    expect(after.status?.operationState?.syncResult?.revision).toBe(previous.revision);
    expect(after.status?.summary?.images?.[0]).toMatch(/:v1\.1\.4-rc\.2$/);
    expect(after.status?.sync?.status).toBe('OutOfSync');
    expect(after.status?.health?.status).toBe('Healthy');
    expect(after.status?.history?.[after.status.history.length - 1].revision).toBe(previous.revision);
  });
});
