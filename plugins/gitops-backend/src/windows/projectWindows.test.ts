import { ConfigReader } from '@backstage/config';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { readArgoCdInstances } from '../argocd/config';
import { ReadCache } from '../cache/ReadCache';
import {
  ProjectSyncWindow,
  argoWindowActive,
  assignedWindows,
  globMatches,
  syncWindowsAnswer,
} from './projectWindows';

jest.setTimeout(60_000);

const at = (iso: string) => Date.parse(iso);
const APP = {
  name: 'shop-api-prod',
  destination: {
    server: 'https://kubernetes.default.svc',
    name: 'in-cluster',
    namespace: 'shop',
  },
};

describe('globMatches (Argo CD util/glob)', () => {
  it.each([
    ['*-prod', 'shop-api-prod', true],
    ['*-prod', 'shop-api-staging', false],
    ['shop-?pi-prod', 'shop-api-prod', true],
    ['shop-[ab]pi-prod', 'shop-api-prod', true],
    ['shop-[!a]pi-prod', 'shop-api-prod', false],
    ['shop-api-{dev,prod}', 'shop-api-prod', true],
    ['shop-api-{dev,staging}', 'shop-api-prod', false],
    ['https://*', 'https://kubernetes.default.svc', true],
    ['*.svc', 'https://kubernetes.default.svc', true],
    ['kubernetes.default.svc', 'kubernetesXdefaultXsvc', false],
    ['*', '', true],
    ['shop', 'shop-api', false],
  ])('%s vs %s → %s', (p, v, want) => {
    expect(globMatches(p, v)).toBe(want);
  });
});

describe('assignedWindows (Argo CD Matches)', () => {
  const w = (x: Partial<ProjectSyncWindow>): ProjectSyncWindow => ({
    kind: 'allow',
    schedule: '0 6 * * *',
    duration: '1h',
    ...x,
  });
  it('matches by applications, clusters (name or server) and namespaces; any one by default', () => {
    const windows = [
      w({ description: 'app', applications: ['*-prod'] }),
      w({ description: 'server', clusters: ['https://kubernetes.*'] }),
      w({ description: 'cluster name', clusters: ['in-*'] }),
      w({ description: 'namespace', namespaces: ['sh*'] }),
      w({ description: 'other ns', namespaces: ['payments'] }),
      w({ description: 'none named' }),
      w({
        description: 'or',
        applications: ['nothing'],
        namespaces: ['shop'],
      }),
      w({
        description: 'and, one fails',
        applications: ['*-prod'],
        namespaces: ['payments'],
        andOperator: true,
      }),
      w({
        description: 'and, all hold',
        applications: ['*-prod'],
        namespaces: ['shop'],
        clusters: ['in-cluster'],
        andOperator: true,
      }),
    ];
    expect(assignedWindows(windows, APP).map(x => x.description)).toEqual([
      'app',
      'server',
      'cluster name',
      'namespace',
      'or',
      'and, all hold',
    ]);
  });

  it('an application without a destination only matches by name', () => {
    expect(
      assignedWindows([w({ namespaces: ['*'] }), w({ clusters: ['*'] })], {
        name: 'x',
      }),
    ).toEqual([]);
  });
});

describe('argoWindowActive', () => {
  const w: ProjectSyncWindow = {
    kind: 'deny',
    schedule: '0 22 * * *',
    duration: '2h',
    timeZone: 'Europe/Berlin',
  };
  it('is active strictly after the start and before the end, in the zone', () => {
    // 22:00 Berlin (winter) = 21:00 UTC
    expect(argoWindowActive(w, at('2026-11-30T20:59:00Z'))).toBe(false);
    expect(argoWindowActive(w, at('2026-11-30T21:00:00Z'))).toBe(false);
    expect(argoWindowActive(w, at('2026-11-30T21:00:01Z'))).toBe(true);
    expect(argoWindowActive(w, at('2026-11-30T22:59:59Z'))).toBe(true);
    expect(argoWindowActive(w, at('2026-11-30T23:00:00Z'))).toBe(false);
    // summer: 22:00 Berlin = 20:00 UTC
    expect(argoWindowActive(w, at('2026-07-01T20:30:00Z'))).toBe(true);
    expect(argoWindowActive(w, at('2026-07-01T22:30:00Z'))).toBe(false);
  });
});

describe('syncWindowsAnswer (Argo CD CanSync(manual))', () => {
  const allow = {
    kind: 'allow',
    schedule: '0 6 * * 1-5',
    duration: '12h',
    applications: ['*'],
  };
  const deny = {
    kind: 'deny',
    schedule: '0 12 * * *',
    duration: '1h',
    applications: ['*'],
  };
  const monday = (hhmm: string) => at(`2026-11-30T${hhmm}:00Z`);
  it('no windows: may sync, nothing assigned', () => {
    expect(syncWindowsAnswer([], APP, monday('03:00'))).toEqual({
      canSync: true,
    });
    expect(
      syncWindowsAnswer(
        [{ ...allow, applications: ['other'] }],
        APP,
        monday('03:00'),
      ),
    ).toEqual({ canSync: true });
  });
  it('an inactive allow blocks unless it allows manual syncs', () => {
    expect(syncWindowsAnswer([allow], APP, monday('03:00'))?.canSync).toBe(
      false,
    );
    expect(
      syncWindowsAnswer([{ ...allow, manualSync: true }], APP, monday('03:00'))
        ?.canSync,
    ).toBe(true);
    expect(syncWindowsAnswer([allow], APP, monday('07:00'))).toEqual({
      assignedWindows: [
        {
          kind: 'allow',
          schedule: '0 6 * * 1-5',
          duration: '12h',
          manualSync: false,
        },
      ],
      activeWindows: [
        {
          kind: 'allow',
          schedule: '0 6 * * 1-5',
          duration: '12h',
          manualSync: false,
        },
      ],
      canSync: true,
    });
  });
  it('an active deny wins over an active allow unless every active deny allows manual syncs', () => {
    expect(
      syncWindowsAnswer([allow, deny], APP, monday('12:30'))?.canSync,
    ).toBe(false);
    expect(
      syncWindowsAnswer(
        [allow, { ...deny, manualSync: true }],
        APP,
        monday('12:30'),
      )?.canSync,
    ).toBe(true);
    expect(
      syncWindowsAnswer(
        [allow, { ...deny, manualSync: true }, deny],
        APP,
        monday('12:30'),
      )?.canSync,
    ).toBe(false);
    expect(syncWindowsAnswer([deny], APP, monday('13:30'))?.canSync).toBe(true);
  });
  it('an invalid assigned window gives no answer (Argo CD answers with an error)', () => {
    expect(
      syncWindowsAnswer(
        [{ ...allow, schedule: 'every day' }],
        APP,
        monday('07:00'),
      ),
    ).toBeUndefined();
    expect(
      syncWindowsAnswer(
        [{ ...allow, timeZone: 'Mars/Olympus' }],
        APP,
        monday('07:00'),
      ),
    ).toBeUndefined();
    // not assigned: irrelevant
    expect(
      syncWindowsAnswer(
        [{ ...allow, applications: ['x'], schedule: 'bad' }],
        APP,
        monday('07:00'),
      ),
    ).toEqual({ canSync: true });
  });
});

describe('syncWindowsAnswer equals the emulator’s /syncwindows answer', () => {
  let emulator: EmulatorHandle;
  // Before every instant below: the emulator's token is issued at start.
  let now = at('2026-03-01T00:00:00Z');
  let client: ArgoCdClient;

  // The example projects (shop: allow *-prod 06:00 UTC weekdays, manual
  // sync; checkout: allow *-prod 09:00 New York weekdays, manual sync), plus
  // deny windows, zones, cluster / namespace globs and andOperator.
  const extra: Record<string, ProjectSyncWindow[]> = {
    shop: [
      {
        kind: 'deny',
        schedule: '0 22 * * *',
        duration: '2h',
        timeZone: 'Europe/Berlin',
        namespaces: ['shop*'],
      },
      {
        kind: 'deny',
        schedule: '30 12 * * 5',
        duration: '1h',
        timeZone: 'America/New_York',
        clusters: ['https://kubernetes.default.svc'],
        manualSync: true,
      },
      {
        kind: 'allow',
        schedule: '*/30 * * * *',
        duration: '10m',
        timeZone: 'Asia/Kolkata',
        applications: ['*-staging'],
      },
      {
        kind: 'allow',
        schedule: '0 0 1 * *',
        duration: '24h',
        applications: ['python-api-base-{dev,staging}'],
        namespaces: ['nomatch'],
        andOperator: true,
      },
    ],
    checkout: [
      {
        kind: 'deny',
        schedule: '0 16 * * 1-5',
        duration: '30m',
        timeZone: 'America/New_York',
        applications: ['checkout-*'],
        namespaces: ['checkout-prod'],
        andOperator: true,
      },
    ],
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      instance: 'local',
      clock: { now: () => new Date(now) },
    });
    client = ArgoCdClient.create({
      instances: readArgoCdInstances(
        new ConfigReader({
          gitops: {
            argocd: {
              instances: [
                { name: 'local', url: emulator.url, token: emulator.token },
              ],
            },
          },
        }),
      ),
      cache: ReadCache.create({ defaultTtlMs: 0, cache: mapCache() }),
    });
    for (const [name, windows] of Object.entries(extra)) {
      const project = (await client.listProjects('local')).find(
        p => p.metadata.name === name,
      )!;
      const body = {
        upsert: true,
        project: {
          ...project,
          spec: {
            ...project.spec,
            syncWindows: [...(project.spec?.syncWindows ?? []), ...windows],
          },
        },
      };
      const res = await fetch(`${emulator.url}/api/v1/projects`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${emulator.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      if (res.status !== 200) {
        throw new Error(
          `could not add windows to project ${name}: ${res.status}`,
        );
      }
    }
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it.each([
    '2026-03-29T01:30:00Z', // Berlin DST change night
    '2026-07-01T20:30:00Z', // summer: Berlin deny at 20:00 UTC
    '2026-11-30T05:00:00Z', // Monday before the shop window
    '2026-11-30T06:00:00Z', // exactly at its start (Argo CD: not yet active)
    '2026-11-30T07:05:00Z', // inside; Kolkata half-hour windows (+05:30)
    '2026-11-30T14:40:00Z', // inside the New York window
    '2026-11-30T21:15:00Z', // Berlin night deny, New York afternoon deny
    '2026-12-04T17:45:00Z', // Friday: New York noon deny (manual sync)
    '2026-12-05T10:00:00Z', // Saturday: allows closed
  ])('at %s, for every application', async iso => {
    now = at(iso);
    const projects = new Map(
      (await client.listProjects('local')).map(p => [p.metadata.name, p]),
    );
    const apps = await client.listApplications('local');
    expect(apps.length).toBeGreaterThan(3);
    let windowed = 0;
    for (const app of apps) {
      const upstream = await client.getSyncWindows('local', app.metadata.name, {
        appNamespace: app.metadata.namespace,
      });
      const local = syncWindowsAnswer(
        projects.get(app.spec.project)?.spec?.syncWindows,
        { name: app.metadata.name, destination: app.spec.destination },
        now,
      );
      if (local?.assignedWindows) windowed++;
      expect({ app: app.metadata.name, ...local }).toEqual({
        app: app.metadata.name,
        ...upstream,
      });
    }
    expect(windowed).toBeGreaterThan(3);
  });
});

function mapCache() {
  const store = new Map<string, unknown>();
  return {
    get: async (k: string) => store.get(k),
    set: async (k: string, v: unknown) => void store.set(k, v),
    delete: async (k: string) => void store.delete(k),
    withOptions() {
      return this;
    },
  } as any;
}
