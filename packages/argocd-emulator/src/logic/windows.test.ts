import {
  activeWindows,
  canSync,
  globMatch,
  isWindowActive,
  matchingWindows,
  SyncWindow,
  validateWindow,
} from './windows';

const at = (s: string) => new Date(s);
// 2026-11-23 is a Monday
const MON_0559 = at('2026-11-23T05:59:00Z');
const MON_0600 = at('2026-11-23T06:00:00Z');
const MON_0601 = at('2026-11-23T06:01:00Z');
const MON_1759 = at('2026-11-23T17:59:59Z');
const MON_1800 = at('2026-11-23T18:00:00Z');
const SAT_1000 = at('2026-11-28T10:00:00Z');

const officeHours: SyncWindow = {
  kind: 'allow',
  schedule: '0 6 * * 1-5',
  duration: '12h',
  timeZone: 'UTC',
  applications: ['*-prod'],
};

describe('isWindowActive', () => {
  it.each([
    [MON_0559, false],
    [MON_0600, false], // the cron fire itself is not "before" now (Argo CD: Next(t-d).Before(t))
    [MON_0601, true],
    [MON_1759, true],
    [MON_1800, false],
    [SAT_1000, false],
  ])('office hours at %s -> %s', (t, expected) => {
    expect(isWindowActive(officeHours, t)).toBe(expected);
  });

  it('honours the time zone offset', () => {
    const berlin: SyncWindow = { ...officeHours, timeZone: 'Europe/Berlin' };
    // 06:30 Berlin (UTC+1 in November) = 05:30 UTC
    expect(isWindowActive(berlin, at('2026-11-23T05:30:00Z'))).toBe(true);
    expect(isWindowActive(berlin, at('2026-11-23T04:59:00Z'))).toBe(false);
    expect(isWindowActive(berlin, at('2026-11-23T17:30:00Z'))).toBe(false); // 18:30 Berlin
  });

  it('handles windows spanning midnight and weekdays', () => {
    const night: SyncWindow = {
      kind: 'deny',
      schedule: '0 22 * * *',
      duration: '8h',
    };
    expect(isWindowActive(night, at('2026-11-23T23:00:00Z'))).toBe(true);
    expect(isWindowActive(night, at('2026-11-24T05:59:00Z'))).toBe(true);
    expect(isWindowActive(night, at('2026-11-24T06:01:00Z'))).toBe(false);
  });

  it('throws Argo CD texts for invalid schedules and durations', () => {
    expect(() =>
      isWindowActive({ ...officeHours, schedule: '0 6 * *' }, MON_0601),
    ).toThrow(/cannot parse schedule '0 6 \* \*'/);
    expect(() =>
      isWindowActive({ ...officeHours, schedule: 'a b c d e' }, MON_0601),
    ).toThrow(/cannot parse schedule/);
    expect(() =>
      isWindowActive({ ...officeHours, duration: '12' }, MON_0601),
    ).toThrow(/cannot parse duration '12'/);
    expect(() =>
      isWindowActive({ ...officeHours, duration: 'xh' }, MON_0601),
    ).toThrow(/time: invalid duration "xh"/);
  });
});

describe('validateWindow', () => {
  it('accepts a valid window and rejects a bad kind, schedule, duration or zone', () => {
    expect(() => validateWindow(officeHours)).not.toThrow();
    expect(() => validateWindow({ ...officeHours, kind: 'maybe' })).toThrow(
      "kind 'maybe' mismatch: can only be allow or deny",
    );
    expect(() => validateWindow({ ...officeHours, schedule: '* * *' })).toThrow(
      /cannot parse schedule/,
    );
    expect(() => validateWindow({ ...officeHours, duration: '' })).toThrow(
      /cannot parse duration/,
    );
    expect(() =>
      validateWindow({ ...officeHours, timeZone: 'Mars/Olympus' }),
    ).toThrow(/timezone/);
  });
});

describe('matchingWindows', () => {
  const app = {
    name: 'python-api-base-prod',
    destination: {
      server: 'https://kubernetes.default.svc',
      namespace: 'shop-prod',
    },
  };
  it('matches by application glob, namespace and cluster', () => {
    expect(matchingWindows([officeHours], app)).toHaveLength(1);
    expect(
      matchingWindows([{ ...officeHours, applications: ['*-dev'] }], app),
    ).toHaveLength(0);
    expect(
      matchingWindows(
        [
          {
            kind: 'deny',
            schedule: '* * * * *',
            duration: '1h',
            namespaces: ['shop-*'],
          },
        ],
        app,
      ),
    ).toHaveLength(1);
    expect(
      matchingWindows(
        [
          {
            kind: 'deny',
            schedule: '* * * * *',
            duration: '1h',
            clusters: ['https://kubernetes.*'],
          },
        ],
        app,
      ),
    ).toHaveLength(1);
    expect(
      matchingWindows(
        [{ kind: 'deny', schedule: '* * * * *', duration: '1h' }],
        app,
      ),
    ).toHaveLength(0);
  });
  it('ORs selectors by default and ANDs them with andOperator', () => {
    const w: SyncWindow = {
      kind: 'deny',
      schedule: '* * * * *',
      duration: '1h',
      applications: ['other'],
      namespaces: ['shop-prod'],
    };
    expect(matchingWindows([w], app)).toHaveLength(1);
    expect(matchingWindows([{ ...w, andOperator: true }], app)).toHaveLength(0);
    expect(
      matchingWindows(
        [{ ...w, applications: ['python-*'], andOperator: true }],
        app,
      ),
    ).toHaveLength(1);
  });
  it('globMatch supports *, ?, classes and alternatives', () => {
    expect(globMatch('*-prod', 'a-prod')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a[bx]c', 'axc')).toBe(true);
    expect(globMatch('{a,b}-prod', 'b-prod')).toBe(true);
    expect(globMatch('{a,b}-prod', 'c-prod')).toBe(false);
    expect(globMatch('prod', 'xprod')).toBe(false);
  });
});

describe('canSync', () => {
  const denyAlways = (manualSync = false): SyncWindow => ({
    kind: 'deny',
    schedule: '* * * * *',
    duration: '1h',
    applications: ['*'],
    manualSync,
  });
  const allowAlways: SyncWindow = {
    kind: 'allow',
    schedule: '* * * * *',
    duration: '1h',
    applications: ['*'],
  };

  it('allows when no window matches', () => {
    expect(canSync([], { manual: false, now: SAT_1000 })).toBe(true);
  });

  it('deny wins over an active allow', () => {
    expect(
      canSync([allowAlways, denyAlways()], { manual: false, now: MON_0601 }),
    ).toBe(false);
    expect(
      canSync([allowAlways, denyAlways()], { manual: true, now: MON_0601 }),
    ).toBe(false);
  });

  it('manual sync passes an active deny only when every active deny has manualSync', () => {
    expect(canSync([denyAlways(true)], { manual: true, now: MON_0601 })).toBe(
      true,
    );
    expect(canSync([denyAlways(true)], { manual: false, now: MON_0601 })).toBe(
      false,
    );
    expect(
      canSync([denyAlways(true), denyAlways(false)], {
        manual: true,
        now: MON_0601,
      }),
    ).toBe(false);
  });

  it('an active allow permits', () => {
    expect(canSync([officeHours], { manual: false, now: MON_0601 })).toBe(true);
  });

  it('an assigned but inactive allow blocks (allow required)', () => {
    expect(canSync([officeHours], { manual: false, now: SAT_1000 })).toBe(
      false,
    );
    expect(canSync([officeHours], { manual: true, now: SAT_1000 })).toBe(false);
  });

  it('manualSync on every inactive allow lets manual syncs through, never automated ones', () => {
    const w = { ...officeHours, manualSync: true };
    expect(canSync([w], { manual: true, now: SAT_1000 })).toBe(true);
    expect(canSync([w], { manual: false, now: SAT_1000 })).toBe(false);
    const other: SyncWindow = {
      ...officeHours,
      schedule: '0 20 * * 1-5',
      duration: '1h',
    };
    expect(canSync([w, other], { manual: true, now: SAT_1000 })).toBe(false);
  });

  it('syncOverrun lets an operation that started inside the allow window continue', () => {
    const w = { ...officeHours, syncOverrun: true };
    expect(
      canSync([w], {
        manual: false,
        now: MON_1800,
        operationStartedAt: MON_1759,
      }),
    ).toBe(true);
    expect(
      canSync([officeHours], {
        manual: false,
        now: MON_1800,
        operationStartedAt: MON_1759,
      }),
    ).toBe(false);
    expect(
      canSync([w], {
        manual: false,
        now: SAT_1000,
        operationStartedAt: SAT_1000,
      }),
    ).toBe(false);
  });

  it('throws for an invalid matching window', () => {
    expect(() =>
      canSync([{ ...officeHours, schedule: 'bad' }], {
        manual: true,
        now: MON_0601,
      }),
    ).toThrow(/cannot parse schedule/);
  });

  it('activeWindows lists only the active ones', () => {
    expect(activeWindows([officeHours, denyAlways()], SAT_1000)).toEqual([
      denyAlways(),
    ]);
  });
});
