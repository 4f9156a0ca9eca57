/*
 * End-to-end: the executor against the Argo CD emulator and its real git
 * repository. One scenario, in order, like a release day:
 * dev → staging (auto-sync), staging → prod (approval, window, dry-run),
 * prod rollback by git revert, a broken image ending Degraded, a sync of
 * what the image updater wrote, and a crash in the middle of an execution.
 */
import fs from 'node:fs';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ChangeEvent } from '@internal/plugin-gitops-common';
import { ArgoApplication } from '../../argocd/types';
import {
  createHarness,
  Harness,
  imageUpdaterCommit,
} from './__testUtils__/harness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function stepTypes(events: ChangeEvent[]): string[] {
  return events
    .map(e => e.type)
    .filter(
      t =>
        t.startsWith('step.') ||
        ['succeeded', 'failed', 'waiting_for_window'].includes(t),
    );
}

function tagOf(app: ArgoApplication): string | undefined {
  return app.status?.summary?.images?.[0]?.split(':').pop();
}

describe('change execution against the emulator', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness({ knex: await databases.init('SQLITE_3') });
  });

  afterAll(async () => {
    if (process.env.GITOPS_E2E_GIT_LOG) {
      fs.writeFileSync(
        process.env.GITOPS_E2E_GIT_LOG,
        `${h.gitLog()}\n${h.gitLog(true)}`,
      );
    }
    await h?.stop();
  });

  async function run(id: string) {
    const runner = h.runner();
    expect(await runner.kick(id)).toBe(true);
    await runner.whenIdle(id);
    const d = (await h.store.getChangeDetail(id))!;
    if (process.env.GITOPS_E2E_DEBUG) {
      // eslint-disable-next-line no-console
      console.log(
        d.events.map(e => `${e.at} ${e.type} ${e.message ?? ''}`).join('\n'),
        d.result,
      );
    }
    return d;
  }

  const app = (name: string) => h.argo.getApplication('local', name);

  it('promotes dev → staging: one commit, auto-sync picks it up, staging Healthy on the new version', async () => {
    const before = await app('python-api-base-staging');
    expect(tagOf(before)).toBe('v1.2.0-rc.1');
    const change = await h.approvedChange({
      environment: 'staging',
      version: 'v1.2.0-rc.2',
      fromVersion: 'v1.2.0-rc.1',
      sourceEnvironment: 'dev',
    });
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    // auto-sync usually deploys the commit before our sync step; then no sync is requested
    expect(stepTypes(done.events)).toEqual(
      [
        'step.precheck',
        'step.write',
        'step.refresh',
        'step.diff',
        'step.recheck',
        'step.sync.requested',
        'step.sync',
        'step.follow',
        'succeeded',
      ].filter(
        t => t !== 'step.sync.requested' || done.events.some(e => e.type === t),
      ),
    );
    const after = await app('python-api-base-staging');
    expect(tagOf(after)).toBe('v1.2.0-rc.2');
    expect(after.status?.health?.status).toBe('Healthy');
    expect(after.status?.sync?.revision).toBe(done.result?.commitSha);
    expect(h.gitLog().split('\n')[0]).toContain(
      `gitops: promote python-api-base to v1.2.0-rc.2 in staging (change ${change.id})`,
    );
    const values = fs.readFileSync(
      `${h.emulator.repoDir}/apps/python-api-base-staging/values.yaml`,
      'utf8',
    );
    expect(values).toContain(
      '  # Desired version for staging.\n  tag: v1.2.0-rc.2\n',
    );
  });

  it('promotes staging → prod with an approval, inside the window, dry-run before the sync', async () => {
    const change = await h.approvedChange(
      {
        environment: 'prod',
        version: 'v1.2.0',
        fromVersion: 'v1.1.4',
        sourceEnvironment: 'staging',
      },
      ['user:default/bob'],
    );
    const historyBefore =
      (await app('python-api-base-prod')).status?.history?.length ?? 0;
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    expect(stepTypes(done.events)).toEqual([
      'step.precheck',
      'step.write',
      'step.refresh',
      'step.diff',
      'step.dry-run',
      'step.recheck',
      'step.sync.requested',
      'step.sync',
      'step.follow',
      'succeeded',
    ]);
    const diff = done.events.find(e => e.type === 'step.diff')!;
    expect(JSON.stringify(diff.data)).toContain('v1.2.0');
    const prod = await app('python-api-base-prod');
    expect(tagOf(prod)).toBe('v1.2.0');
    expect(prod.status?.health?.status).toBe('Healthy');
    expect(prod.status?.operationState?.operation?.info).toEqual(
      expect.arrayContaining([{ name: 'gitops-change', value: change.id }]),
    );
    expect(prod.status?.history?.length).toBe(historyBefore + 1);
    const message = h.gitLog().split('\n')[0];
    expect(message).toContain(
      `gitops: promote python-api-base to v1.2.0 in prod (change ${change.id})`,
    );
  });

  it('rolls prod back with a git revert of the commit that brought v1.2.0', async () => {
    const promoted = (
      await h.store.listChanges({ environment: 'prod', states: ['succeeded'] })
    )[0];
    const change = await h.approvedChange(
      {
        environment: 'prod',
        kind: 'rollback',
        version: 'v1.1.4',
        fromVersion: 'v1.2.0',
        rollbackTo: { version: 'v1.1.4' },
        requestedBy: 'user:default/dave',
      },
      ['user:default/carol'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    const write = done.events.find(e => e.type === 'step.write')!;
    expect(write.data).toMatchObject({
      method: 'git-revert',
      revertedSha: promoted.result?.commitSha,
    });
    const prod = await app('python-api-base-prod');
    expect(tagOf(prod)).toBe('v1.1.4');
    expect(prod.status?.health?.status).toBe('Healthy');
    expect(h.gitLog().split('\n')[0]).toContain(
      `roll back python-api-base to v1.1.4 in prod (change ${change.id})`,
    );
  });

  it('fails a promotion whose image ends Degraded, keeping the commit and offering a rollback', async () => {
    const change = await h.approvedChange(
      {
        environment: 'prod',
        version: 'v1.2.1',
        fromVersion: 'v1.1.4',
        sourceEnvironment: 'staging',
      },
      ['user:default/bob'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('failed');
    expect(done.result).toMatchObject({
      failedStep: 'follow',
      rollbackOffered: true,
    });
    expect(done.result?.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(done.result?.message).toContain('Degraded');
    expect((await app('python-api-base-prod')).status?.health?.status).toBe(
      'Degraded',
    );
  });

  it('syncs what the image updater already wrote (prod OutOfSync): dry-run, gates, sync, follow', async () => {
    imageUpdaterCommit(h.emulator.repoDir, 'python-api-base-prod', 'v1.2.2');
    await h.argo.getApplication('local', 'python-api-base-prod', {
      refresh: 'hard',
    });
    expect((await app('python-api-base-prod')).status?.sync?.status).toBe(
      'OutOfSync',
    );
    const commits = h.gitLog().split('\n').length;
    const change = await h.approvedChange(
      {
        environment: 'prod',
        kind: 'sync',
        version: 'v1.2.2',
        fromVersion: 'v1.2.1',
      },
      ['user:default/carol'],
    );
    const done = await run(change.id);
    expect(done.state).toBe('succeeded');
    expect(stepTypes(done.events)).toEqual([
      'step.refresh',
      'step.diff',
      'step.dry-run',
      'step.recheck',
      'step.sync.requested',
      'step.sync',
      'step.follow',
      'succeeded',
    ]);
    expect(h.gitLog().split('\n').length).toBe(commits);
    const prod = await app('python-api-base-prod');
    expect(tagOf(prod)).toBe('v1.2.2');
    expect(prod.status?.sync?.status).toBe('Synced');
  });

  it('waits for the window when prod is closed (Saturday), without touching Argo CD', async () => {
    const change = await h.approvedChange(
      { environment: 'prod', kind: 'sync', version: 'v1.2.2' },
      ['user:default/bob'],
    );
    // Saturday 2026-11-28 10:00 UTC for the executor's clock only
    const saturday = new Date('2026-11-28T10:00:00.000Z').getTime();
    const offset = saturday - h.clock.now().getTime();
    const realNow = h.clock.now;
    h.clock.now = () => new Date(realNow().getTime() + offset);
    try {
      const done = await run(change.id);
      expect(done.state).toBe('waiting_for_window');
      const waiting = done.events.find(e => e.type === 'waiting_for_window')!;
      expect(waiting.data).toMatchObject({
        step: 'recheck',
        runAfter: '2026-11-30T06:00:00.000Z',
      });
      expect(done.events.some(e => e.type === 'step.sync.requested')).toBe(
        false,
      );
    } finally {
      h.clock.now = realNow;
    }
    // back inside the window: the scheduler's claim resumes it after the dry-run it already did
    await h.store.transition({
      id: change.id,
      from: ['waiting_for_window'],
      to: 'waiting_for_window',
      patch: { runAfter: null },
      event: { type: 'test.window-open' },
    });
    const runner = h.runner();
    expect(await runner.tick()).toEqual([change.id]);
    await runner.whenIdle();
    const done = (await h.store.getChangeDetail(change.id))!;
    expect(done.state).toBe('succeeded');
    expect(done.events.filter(e => e.type === 'step.dry-run')).toHaveLength(1);
  });

  it('does not write a promotion to Git while the window is closed', async () => {
    const change = await h.approvedChange(
      {
        environment: 'prod',
        version: 'v1.2.3',
        fromVersion: 'v1.2.2',
        sourceEnvironment: 'staging',
      },
      ['user:default/bob'],
    );
    const head = h.gitLog().split('\n')[0];
    const sunday = new Date('2026-11-29T23:00:00.000Z').getTime();
    const offset = sunday - h.clock.now().getTime();
    const realNow = h.clock.now;
    h.clock.now = () => new Date(realNow().getTime() + offset);
    try {
      const done = await run(change.id);
      expect(done.state).toBe('waiting_for_window');
      expect(stepTypes(done.events)).toEqual(['waiting_for_window']);
      expect(
        done.events.find(e => e.type === 'waiting_for_window')?.data,
      ).toMatchObject({
        step: 'precheck',
        runAfter: '2026-11-30T06:00:00.000Z',
      });
    } finally {
      h.clock.now = realNow;
    }
    expect(h.gitLog().split('\n')[0]).toBe(head);
    await h.store.transition({
      id: change.id,
      from: ['waiting_for_window'],
      to: 'cancelled',
      event: { type: 'cancelled' },
    });
  });

  it('hands a running change over on a graceful stop, and the next owner finishes it once', async () => {
    const change = await h.approvedChange({
      environment: 'staging',
      version: 'v1.2.0-rc.3',
      fromVersion: 'v1.2.0-rc.2',
      sourceEnvironment: 'dev',
    });
    const first = h.runner('process-c');
    expect(await first.kick(change.id)).toBe(true);
    let written = false;
    while (!written) {
      await new Promise(r => setTimeout(r, 20));
      written = (await h.store.getChangeDetail(change.id))!.events.some(
        e => e.type === 'step.write',
      );
    }
    await first.stop();
    const handedOver = (await h.store.getChange(change.id))!;
    expect(handedOver.state).toBe('executing');
    expect(Date.parse(handedOver.executionLeaseUntil!)).toBeLessThanOrEqual(
      h.clock.now().getTime(),
    );

    const second = h.runner('process-d');
    let started: string[] = [];
    while (!started.length) {
      started = await second.tick();
    }
    expect(started).toEqual([change.id]);
    await second.whenIdle();
    const done = (await h.store.getChangeDetail(change.id))!;
    expect(done.state).toBe('succeeded');
    expect(done.events.filter(e => e.type === 'step.write')).toHaveLength(1);
    expect(
      h
        .gitLog()
        .split('\n')
        .filter(l => l.includes(`(change ${change.id})`)),
    ).toHaveLength(1);
  });

  it('finishes once after a crash in the middle of an execution', async () => {
    const change = await h.approvedChange(
      {
        environment: 'prod',
        version: 'v1.3.0',
        fromVersion: 'v1.2.2',
        sourceEnvironment: 'staging',
      },
      ['user:default/bob'],
    );
    const historyBefore =
      (await app('python-api-base-prod')).status?.history?.length ?? 0;
    const first = h.runner('process-a');
    expect(await first.kick(change.id)).toBe(true);
    // crash right after the sync was recorded: the process stops, its lease stays
    for (;;) {
      const d = (await h.store.getChangeDetail(change.id))!;
      if (d.events.some(e => e.type === 'step.sync')) break;
      await new Promise(r => setTimeout(r, 20));
    }
    await first.stop({ handOver: false });
    const crashed = (await h.store.getChange(change.id))!;
    expect(crashed.state).toBe('executing');
    expect(crashed.executionOwner).toBe('process-a');

    const second = h.runner('process-b');
    // nothing to claim while process-a's lease is alive
    expect(await second.tick()).toEqual([]);
    let started: string[] = [];
    while (!started.length) {
      await new Promise(r => setTimeout(r, 100));
      started = await second.tick();
    }
    expect(started).toEqual([change.id]);
    await second.whenIdle();
    const done = (await h.store.getChangeDetail(change.id))!;
    expect(done.state).toBe('succeeded');
    expect(
      done.events.filter(e => e.type === 'execution.claimed'),
    ).toHaveLength(2);
    expect(done.events.filter(e => e.type === 'step.write')).toHaveLength(1);
    expect(done.events.filter(e => e.type === 'step.sync')).toHaveLength(1);
    expect(
      h
        .gitLog()
        .split('\n')
        .filter(l => l.includes(`(change ${change.id})`)),
    ).toHaveLength(1);
    const prod = await app('python-api-base-prod');
    expect(prod.status?.history?.length).toBe(historyBefore + 1);
    expect(tagOf(prod)).toBe('v1.3.0');
  });
});
