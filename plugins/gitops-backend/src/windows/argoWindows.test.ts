import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from '../config';
import {
  ArgoWindowFacts,
  argoWindowsWithZones,
  decideWindows,
  formatWhenWithUtc,
} from './argoWindows';
import { PolicyWindowStateProvider } from './PolicyWindowStateProvider';
import { SyncWindow } from './windows';

/** New York office hours as the syncwindows endpoint reports them (no timeZone there). */
const NY_ASSIGNED = {
  kind: 'allow',
  schedule: '0 9 * * 1-5',
  duration: '8h',
  manualSync: false,
};
/** The same window in the AppProject's spec.syncWindows, with its zone. */
const NY_PROJECT = {
  ...NY_ASSIGNED,
  timeZone: 'America/New_York',
  applications: ['*-prod'],
};

function facts(over: Partial<ArgoWindowFacts> = {}): ArgoWindowFacts {
  return {
    assigned: [NY_ASSIGNED],
    active: [],
    projectWindows: [NY_PROJECT],
    ...over,
  };
}

// Tue 24 Nov 2026: New York is UTC-5 (EST).
const OPEN_IN_NY = new Date('2026-11-24T20:00:00Z'); // 15:00 EST; 20:00 UTC
const CLOSED_IN_NY = new Date('2026-11-24T12:00:00Z'); // 07:00 EST; 12:00 UTC

describe('Argo CD windows as Argo CD decides them', () => {
  it('takes each window’s time zone from the project (the syncwindows answer has none)', () => {
    expect(argoWindowsWithZones(facts())).toEqual([
      {
        kind: 'allow',
        schedule: '0 9 * * 1-5',
        duration: '8h',
        timeZone: 'America/New_York',
        manualSync: false,
        source: 'argocd',
      },
    ]);
    // without the project: the window's own zone, else UTC (Argo CD's default)
    expect(
      argoWindowsWithZones(facts({ projectWindows: undefined }))[0].timeZone,
    ).toBe('UTC');
    expect(
      argoWindowsWithZones(
        facts({
          assigned: [{ ...NY_ASSIGNED, timeZone: 'Europe/Berlin' }],
          projectWindows: undefined,
        }),
      )[0].timeZone,
    ).toBe('Europe/Berlin');
    // a project window that differs (e.g. manualSync) is not taken for it
    expect(
      argoWindowsWithZones(
        facts({ projectWindows: [{ ...NY_PROJECT, manualSync: true }] }),
      )[0].timeZone,
    ).toBe('UTC');
  });

  it('a New York window open now (closed if read in UTC) is open, closing at 17:00 EST (22:00 UTC)', () => {
    const d = decideWindows(
      [],
      facts({ canSync: true, active: [NY_ASSIGNED] }),
      OPEN_IN_NY,
    );
    expect(d).toMatchObject({
      open: true,
      argoCdCanSync: true,
      openUntil: '2026-11-24T22:00:00.000Z',
    });
    expect(d.message).toBe(
      "inside the window (Argo CD's sync windows); closes Tue 17:00 EST (22:00 UTC)",
    );
  });

  it('a New York window closed now (open if read in UTC) is closed, opening at 09:00 EST (14:00 UTC)', () => {
    const d = decideWindows([], facts({ canSync: false }), CLOSED_IN_NY);
    expect(d).toMatchObject({
      open: false,
      argoCdCanSync: false,
      blockedBy: ['argocd'],
      nextOpen: '2026-11-24T14:00:00.000Z',
    });
    expect(d.message).toBe(
      "blocked by Argo CD's sync window; next opens Tue 09:00 EST (14:00 UTC)",
    );
  });

  it("Argo CD's canSync wins when it disagrees with our reading of its windows", () => {
    // Without the project we read the window in UTC (open at 12:00 UTC),
    // but Argo CD, which knows the zone, says no.
    const blocked = decideWindows(
      [],
      facts({ canSync: false, projectWindows: undefined }),
      CLOSED_IN_NY,
    );
    expect(blocked).toMatchObject({ open: false, blockedBy: ['argocd'] });
    expect(blocked.nextOpen).toBeUndefined();
    expect(blocked.message).toBe(
      "blocked by Argo CD's sync window (Argo CD says it cannot sync now)",
    );
    // …and the other way round: Argo CD says yes although we read it closed.
    const allowed = decideWindows(
      [],
      facts({
        canSync: true,
        active: [NY_ASSIGNED],
        projectWindows: undefined,
      }),
      OPEN_IN_NY,
    );
    expect(allowed).toMatchObject({ open: true, argoCdCanSync: true });
  });

  it('our policy window still blocks when Argo CD allows, and names both times', () => {
    const policy: SyncWindow[] = [
      {
        kind: 'allow',
        schedule: '0 8 * * 1-5',
        duration: '12h',
        timeZone: 'Europe/Berlin',
        source: 'policy',
      },
    ];
    const d = decideWindows(
      policy,
      facts({ canSync: true, active: [NY_ASSIGNED] }),
      OPEN_IN_NY,
    );
    expect(d.open).toBe(false);
    expect(d.blockedBy).toEqual(['policy']);
    // both open again when New York opens on Wednesday (Berlin is open since 07:00 UTC)
    expect(d.nextOpen).toBe('2026-11-25T14:00:00.000Z');
    expect(d.message).toBe(
      'outside the window; next opens Wed 15:00 GMT+1 (14:00 UTC)',
    );
    // an approved override bypasses only the policy's windows
    expect(
      decideWindows(
        policy,
        facts({ canSync: true, active: [NY_ASSIGNED] }),
        OPEN_IN_NY,
        { ignorePolicyWindows: true },
      ).open,
    ).toBe(true);
    expect(
      decideWindows(policy, facts({ canSync: false }), CLOSED_IN_NY, {
        ignorePolicyWindows: true,
      }).open,
    ).toBe(false);
  });

  it('without a verdict (older Argo CD or none read) our evaluation with zones stands', () => {
    expect(decideWindows([], facts(), CLOSED_IN_NY).open).toBe(false);
    expect(decideWindows([], facts(), OPEN_IN_NY).open).toBe(true);
    expect(decideWindows([], undefined, OPEN_IN_NY)).toMatchObject({
      open: true,
      applies: false,
    });
  });

  it('formats a time in the zone and in UTC', () => {
    const t = Date.parse('2026-11-24T14:00:00Z');
    expect(formatWhenWithUtc(t, t - 3600_000, 'America/New_York')).toBe(
      'Tue 09:00 EST (14:00 UTC)',
    );
    expect(formatWhenWithUtc(t, t - 3600_000, 'UTC')).toBe('Tue 14:00 UTC');
    // 20:00 in Los Angeles is already Wednesday in UTC
    const late = Date.parse('2026-11-25T04:00:00Z');
    expect(formatWhenWithUtc(late, t, 'America/Los_Angeles')).toBe(
      'Tue 20:00 PST (Wed 04:00 UTC)',
    );
  });
});

describe('PolicyWindowStateProvider with Argo CD in New York (injected clock)', () => {
  const { policies } = readGitopsConfig(
    new ConfigReader({
      gitops: {
        pipelines: {
          standard: { environments: [{ name: 'dev' }, { name: 'prod' }] },
        },
      },
    }),
  );
  const application = {
    name: 'python-api-base-prod',
    instance: 'local',
    project: 'shop',
    namespace: 'argocd',
    autoSync: false,
  };
  function client(canSync: boolean) {
    return {
      getSyncWindows: jest.fn(async () => ({
        assignedWindows: [NY_ASSIGNED],
        activeWindows: canSync ? [NY_ASSIGNED] : null,
        canSync,
      })),
      getProject: jest.fn(async () => ({
        metadata: { name: 'shop' },
        spec: { syncWindows: [NY_PROJECT] },
      })),
    };
  }

  it('reports open now with the closing time in New York and UTC', async () => {
    const c = client(true);
    const provider = PolicyWindowStateProvider.create({
      policies,
      client: c as any,
      now: () => OPEN_IN_NY,
    });
    const state = await provider.getWindowState({
      entityRef: 'component:default/python-api-base',
      pipeline: { name: 'standard' },
      environment: { name: 'prod' },
      application,
    });
    expect(c.getProject).toHaveBeenCalledWith('local', 'shop', {
      cached: true,
    });
    expect(state).toEqual({
      open: true,
      argoCdCanSync: true,
      openUntil: '2026-11-24T22:00:00.000Z',
      message:
        "inside the window (Argo CD's sync windows); closes Tue 17:00 EST (22:00 UTC)",
    });
  });

  it('reports closed now with the next opening in New York and UTC', async () => {
    const provider = PolicyWindowStateProvider.create({
      policies,
      client: client(false) as any,
      now: () => CLOSED_IN_NY,
    });
    expect(
      await provider.getWindowState({
        entityRef: 'component:default/python-api-base',
        pipeline: { name: 'standard' },
        environment: { name: 'prod' },
        application,
      }),
    ).toEqual({
      open: false,
      argoCdCanSync: false,
      nextOpen: '2026-11-24T14:00:00.000Z',
      message:
        "blocked by Argo CD's sync window; next opens Tue 09:00 EST (14:00 UTC)",
    });
  });
});
