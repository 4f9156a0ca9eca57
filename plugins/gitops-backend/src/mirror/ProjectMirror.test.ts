import { ArgoAppProject } from '../argocd/projectCalls';
import { ProjectMirror } from './ProjectMirror';

const project = (name: string): ArgoAppProject => ({
  metadata: { name },
  spec: { syncWindows: [] },
});

describe('ProjectMirror', () => {
  it('serves the listed projects; null for one the list lacks; nothing before the first list', async () => {
    const now = 0;
    const lists: string[] = [];
    const m = new ProjectMirror({
      instance: 'local',
      refreshMs: 60_000,
      now: () => now,
      list: async i => {
        lists.push(i);
        return [project('shop'), project('default')];
      },
    });
    expect(m.get('shop')).toBeUndefined();
    expect(m.status()).toEqual({ count: 0 });
    await m.refresh();
    expect(m.get('shop')?.metadata.name).toBe('shop');
    expect(m.get('payments')).toBeNull();
    expect(lists).toEqual(['local']);
    expect(m.status()).toEqual({
      count: 2,
      listedAt: new Date(0).toISOString(),
    });
  });

  it('keeps the last list through a few failed refreshes, then serves nothing', async () => {
    let now = 0;
    let fail = false;
    const m = new ProjectMirror({
      instance: 'local',
      refreshMs: 60_000,
      now: () => now,
      list: async () => {
        if (fail) throw new Error('Argo CD instance local is unavailable');
        return [project('shop')];
      },
    });
    await m.refresh();
    fail = true;
    now = 120_000;
    await m.refresh();
    expect(m.get('shop')).not.toBeUndefined();
    expect(m.status().lastError).toBe('Argo CD instance local is unavailable');
    now = 180_001;
    await m.refresh();
    expect(m.get('shop')).toBeUndefined();
    fail = false;
    await m.refresh();
    expect(m.get('shop')).not.toBeUndefined();
    expect(m.status().lastError).toBeUndefined();
  });

  it('coalesces concurrent refreshes into one list', async () => {
    let calls = 0;
    const m = new ProjectMirror({
      instance: 'local',
      refreshMs: 60_000,
      list: async () => {
        calls++;
        return [];
      },
    });
    await Promise.all([m.refresh(), m.refresh(), m.refresh()]);
    expect(calls).toBe(1);
  });
});
