import { ArgoAppProject } from '../argocd/projectCalls';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { mirroredWindowClient } from './MirroredWindowClient';

const PROJECT: ArgoAppProject = {
  metadata: { name: 'shop' },
  spec: {
    syncWindows: [
      {
        kind: 'allow',
        schedule: '0 6 * * 1-5',
        duration: '12h',
        applications: ['*-prod'],
        manualSync: true,
        timeZone: 'Europe/Berlin',
      },
    ],
  },
};

const app = (name: string, destination: object = { namespace: 'shop' }) => ({
  metadata: { name },
  spec: { project: 'shop', destination },
});

/** `held`: the project list has it; `missing`: the list lacks it; `none`: no recent list. */
function setup(
  o: { live?: boolean; project?: 'held' | 'missing' | 'none' } = {},
) {
  const live = o.live ?? true;
  const apps = new Map<string, any>([
    ['shop-prod', app('shop-prod')],
    ['bare-prod', app('bare-prod', {})],
  ]);
  const mirrors = {
    getApplication: (_i: string, name: string) =>
      live ? apps.get(name) ?? null : undefined,
    getProject: () =>
      ({ held: PROJECT, missing: null, none: undefined }[o.project ?? 'held']),
  } as unknown as ApplicationMirrors;
  const calls: string[] = [];
  const client = {
    getSyncWindows: async (_i: string, name: string) => {
      calls.push(`syncwindows ${name}`);
      return { canSync: false };
    },
    getProject: async (_i: string, name: string) => {
      calls.push(`project ${name}`);
      return PROJECT;
    },
  };
  const counts = { local: 0, direct: 0 };
  const windows = mirroredWindowClient({
    client: client as any,
    mirrors,
    counts,
    // Monday 2026-11-30 08:00 UTC = 09:00 Berlin: inside the window
    now: () => Date.parse('2026-11-30T08:00:00Z'),
  });
  return { windows, calls, counts };
}

describe('mirroredWindowClient', () => {
  it('answers from the held project and the mirrored application, without Argo CD', async () => {
    const { windows, calls, counts } = setup();
    await expect(windows.getSyncWindows('local', 'shop-prod')).resolves.toEqual(
      {
        assignedWindows: [
          {
            kind: 'allow',
            schedule: '0 6 * * 1-5',
            duration: '12h',
            manualSync: true,
          },
        ],
        activeWindows: [
          {
            kind: 'allow',
            schedule: '0 6 * * 1-5',
            duration: '12h',
            manualSync: true,
          },
        ],
        canSync: true,
      },
    );
    await expect(windows.getProject!('local', 'shop')).resolves.toBe(PROJECT);
    expect(calls).toEqual([]);
    expect(counts).toEqual({ local: 1, direct: 0 });
  });

  it.each([
    ['the mirror is not live', { live: false }, 'shop-prod'],
    ['no project list is held', { project: 'none' as const }, 'shop-prod'],
    [
      'the list has no such project',
      { project: 'missing' as const },
      'shop-prod',
    ],
    ['the mirrored application is a skeleton', {}, 'bare-prod'],
    ['the application is not mirrored', {}, 'other-prod'],
  ])('asks Argo CD as today when %s', async (_why, o, name) => {
    const { windows, calls, counts } = setup(o);
    await expect(windows.getSyncWindows('local', name)).resolves.toEqual({
      canSync: false,
    });
    expect(calls).toEqual([`syncwindows ${name}`]);
    expect(counts).toEqual({ local: 0, direct: 1 });
  });
});

it('reads the project from Argo CD when no list is held', async () => {
  const { windows, calls } = setup({ project: 'none' });
  await windows.getProject!('local', 'shop');
  expect(calls).toEqual(['project shop']);
});
