import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseDuration, formatDuration } from './duration';
import {
  SyncWindow,
  evaluateWindows,
  fromArgoSyncWindows,
  validateWindow,
} from './windows';

const PROD: SyncWindow = {
  kind: 'allow',
  schedule: '0 6 * * 1-5',
  duration: '12h',
  timeZone: 'UTC',
  source: 'policy',
};

const at = (iso: string) => new Date(iso);

describe('parseDuration', () => {
  it.each([
    ['12h', 43_200_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['0s', 0],
    ['0', 0],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '12', 'h', '12 h', '-1h', '1y', 'abc', '1h 30m', '12H'])(
    'rejects %p',
    text => expect(parseDuration(text)).toBeUndefined(),
  );

  it('formats durations for people', () => {
    expect(formatDuration(3 * 3_600_000)).toBe('3 h');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 d 4 h');
  });
});

describe('validateWindow', () => {
  it('accepts the prod window', () => {
    expect(validateWindow(PROD)).toEqual([]);
  });
  it.each([
    [{ schedule: '61 6 * * *' }, 'schedule', /cannot parse schedule '61 6/],
    [{ schedule: '0 6 * *' }, 'schedule', /expected 5 fields/],
    [{ schedule: '0 0 6 * * *' }, 'schedule', /expected 5 fields/],
    [
      { timeZone: 'Mars/Olympus' },
      'timeZone',
      /unknown time zone 'Mars\/Olympus'/,
    ],
    [{ duration: '12' }, 'duration', /cannot parse duration '12'/],
    [{ duration: '0s' }, 'duration', /positive duration/],
    [{ kind: 'maybe' }, 'kind', /kind 'maybe' must be/],
  ])('reports %p as a %s problem', (over, field, reason) => {
    const problems = validateWindow({ ...PROD, ...(over as any) });
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe(field);
    expect(problems[0].reason).toMatch(reason);
  });
});

describe('evaluateWindows', () => {
  it('is open without windows', () => {
    expect(evaluateWindows([], at('2026-11-28T03:00:00Z'))).toEqual({
      open: true,
      applies: false,
      message: 'no sync window applies',
    });
  });

  it('Mon–Fri 06:00–18:00 UTC: 17:59 open, 18:00 closed', () => {
    const open = evaluateWindows([PROD], at('2026-11-27T17:59:00Z')); // Fri
    expect(open).toMatchObject({
      open: true,
      openUntil: '2026-11-27T18:00:00.000Z',
      message: 'inside the window; closes Fri 18:00 UTC',
    });
    const closed = evaluateWindows([PROD], at('2026-11-27T18:00:00Z'));
    expect(closed).toMatchObject({
      open: false,
      nextOpen: '2026-11-30T06:00:00.000Z',
      blockedBy: ['policy'],
      message: 'outside the window; next opens Mon 06:00 UTC',
    });
  });

  it('opens exactly at 06:00 and is closed at 05:59', () => {
    expect(evaluateWindows([PROD], at('2026-11-23T05:59:59Z'))).toMatchObject({
      open: false,
      nextOpen: '2026-11-23T06:00:00.000Z',
      message: 'outside the window; next opens Mon 06:00 UTC',
    });
    expect(evaluateWindows([PROD], at('2026-11-23T06:00:00Z'))).toMatchObject({
      open: true,
      openUntil: '2026-11-23T18:00:00.000Z',
    });
  });

  it('is closed all weekend', () => {
    for (const t of [
      '2026-11-28T00:00:00Z',
      '2026-11-28T12:00:00Z',
      '2026-11-29T23:59:00Z',
    ]) {
      expect(evaluateWindows([PROD], at(t))).toMatchObject({
        open: false,
        nextOpen: '2026-11-30T06:00:00.000Z',
      });
    }
  });

  it('deny beats allow, and names the next opening after the deny', () => {
    const freeze: SyncWindow = {
      kind: 'deny',
      schedule: '0 12 * * 3',
      duration: '2h',
      timeZone: 'UTC',
      source: 'policy',
    };
    const r = evaluateWindows([PROD, freeze], at('2026-11-25T13:00:00Z'));
    expect(r).toMatchObject({
      open: false,
      nextOpen: '2026-11-25T14:00:00.000Z',
      message: 'outside the window; next opens Wed 14:00 UTC',
    });
    expect(
      evaluateWindows([PROD, freeze], at('2026-11-25T11:00:00Z')).openUntil,
    ).toBe('2026-11-25T12:00:00.000Z');
  });

  it('only deny windows: open except during the deny', () => {
    const nightly: SyncWindow = {
      kind: 'deny',
      schedule: '0 22 * * *',
      duration: '8h',
      timeZone: 'UTC',
      source: 'policy',
    };
    expect(
      evaluateWindows([nightly], at('2026-11-25T12:00:00Z')),
    ).toMatchObject({
      open: true,
      openUntil: '2026-11-25T22:00:00.000Z',
    });
    expect(
      evaluateWindows([nightly], at('2026-11-25T23:00:00Z')),
    ).toMatchObject({
      open: false,
      nextOpen: '2026-11-26T06:00:00.000Z',
    });
  });

  describe('time zones and DST', () => {
    const berlin: SyncWindow = {
      ...PROD,
      timeZone: 'Europe/Berlin',
    };
    it('follows local 06:00 across the spring change (CET → CEST)', () => {
      // Fri 27 Mar 2026 06:00 CET = 05:00Z; Mon 30 Mar 06:00 CEST = 04:00Z
      expect(evaluateWindows([berlin], at('2026-03-27T05:00:00Z')).open).toBe(
        true,
      );
      expect(evaluateWindows([berlin], at('2026-03-27T04:59:00Z')).open).toBe(
        false,
      );
      const weekend = evaluateWindows([berlin], at('2026-03-28T12:00:00Z'));
      expect(weekend.nextOpen).toBe('2026-03-30T04:00:00.000Z');
      expect(weekend.message).toBe(
        'outside the window; next opens Mon 06:00 GMT+2',
      );
      expect(evaluateWindows([berlin], at('2026-03-30T04:00:00Z')).open).toBe(
        true,
      );
      expect(evaluateWindows([berlin], at('2026-03-30T03:59:00Z')).open).toBe(
        false,
      );
    });
    it('follows local 06:00 across the autumn change (CEST → CET)', () => {
      const weekend = evaluateWindows([berlin], at('2026-10-24T12:00:00Z'));
      expect(weekend.nextOpen).toBe('2026-10-26T05:00:00.000Z');
      // closes 12 h after the fire (elapsed time, as Argo CD counts)
      expect(
        evaluateWindows([berlin], at('2026-10-26T16:59:00Z')).openUntil,
      ).toBe('2026-10-26T17:00:00.000Z');
    });
    it('a window starting in the skipped hour starts at the next valid time', () => {
      const night: SyncWindow = {
        kind: 'allow',
        schedule: '30 2 * * *',
        duration: '1h',
        timeZone: 'Europe/Berlin',
        source: 'policy',
      };
      const r = evaluateWindows([night], at('2026-03-29T00:00:00Z'));
      expect(r.open).toBe(false);
      expect(r.nextOpen).toBe('2026-03-29T01:30:00.000Z');
    });
    it('New York window in its zone', () => {
      const ny: SyncWindow = { ...PROD, timeZone: 'America/New_York' };
      const r = evaluateWindows([ny], at('2026-11-27T23:30:00Z')); // Fri 18:30 EST
      expect(r.open).toBe(false);
      expect(r.nextOpen).toBe('2026-11-30T11:00:00.000Z');
      expect(r.message).toBe('outside the window; next opens Mon 06:00 EST');
    });
  });

  describe("Argo CD's windows", () => {
    const argoDeny = fromArgoSyncWindows([
      { kind: 'deny', schedule: '0 0 * * *', duration: '24h', timeZone: 'UTC' },
    ]);
    it('a deny without manualSync blocks our (manual) change', () => {
      const r = evaluateWindows(
        [PROD, ...argoDeny],
        at('2026-11-24T10:00:00Z'),
      );
      expect(r).toMatchObject({ open: false, blockedBy: ['argocd'] });
      expect(r.message).toMatch(
        /^blocked by Argo CD's sync window; it does not open/,
      );
    });
    it('a deny with manualSync lets manual syncs through but not automated ones', () => {
      const manualOk = fromArgoSyncWindows([
        {
          kind: 'deny',
          schedule: '0 0 * * *',
          duration: '24h',
          manualSync: true,
        },
      ]);
      expect(evaluateWindows(manualOk, at('2026-11-24T10:00:00Z')).open).toBe(
        true,
      );
      expect(
        evaluateWindows(manualOk, at('2026-11-24T10:00:00Z'), { manual: false })
          .open,
      ).toBe(false);
    });
    it('both sides must allow: policy open, Argo allow inactive', () => {
      const argoAllow = fromArgoSyncWindows([
        {
          kind: 'allow',
          schedule: '0 8 * * *',
          duration: '2h',
          timeZone: 'UTC',
        },
      ]);
      const r = evaluateWindows(
        [PROD, ...argoAllow],
        at('2026-11-24T07:00:00Z'),
      );
      expect(r).toMatchObject({
        open: false,
        blockedBy: ['argocd'],
        nextOpen: '2026-11-24T08:00:00.000Z',
      });
      expect(
        evaluateWindows([PROD, ...argoAllow], at('2026-11-24T09:00:00Z'))
          .openUntil,
      ).toBe('2026-11-24T10:00:00.000Z');
    });
    it('the emergency override ignores policy windows only', () => {
      expect(
        evaluateWindows([PROD], at('2026-11-28T10:00:00Z'), {
          ignorePolicyWindows: true,
        }),
      ).toMatchObject({
        open: true,
        message: 'sync windows bypassed by the emergency override',
      });
      expect(
        evaluateWindows([PROD, ...argoDeny], at('2026-11-28T10:00:00Z'), {
          ignorePolicyWindows: true,
        }).open,
      ).toBe(false);
    });
    it('drops invalid Argo CD windows', () => {
      expect(
        fromArgoSyncWindows([
          { kind: 'allow', schedule: 'bad', duration: '1h' },
        ]),
      ).toEqual([]);
    });
  });

  describe('properties', () => {
    const instant = fc
      .date({
        min: new Date('2025-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map(d => new Date(Math.floor(d.getTime() / 60_000) * 60_000));
    const zone = fc.constantFrom(
      'UTC',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kolkata',
    );

    it('the prod window is open exactly Mon–Fri 06:00–18:00 local time', () => {
      expect(() =>
        fc.assert(
          fc.property(instant, zone, (now, tz) => {
            const w = { ...PROD, timeZone: tz };
            const local = DateTime.fromJSDate(now, { zone: tz });
            const expected =
              local.weekday <= 5 &&
              // elapsed 12 h after the local 06:00 fire
              now.getTime() >=
                local
                  .set({ hour: 6, minute: 0, second: 0, millisecond: 0 })
                  .toMillis() &&
              now.getTime() <
                local
                  .set({ hour: 6, minute: 0, second: 0, millisecond: 0 })
                  .toMillis() +
                  43_200_000;
            return evaluateWindows([w], now).open === expected;
          }),
          { numRuns: 300 },
        ),
      ).not.toThrow();
    });

    it('nextOpen is open, the minute before it is closed, and openUntil is closed', () => {
      const win = fc.record({
        kind: fc.constantFrom<'allow' | 'deny'>('allow', 'deny'),
        minute: fc.integer({ min: 0, max: 59 }),
        hour: fc.integer({ min: 0, max: 23 }),
        dow: fc.constantFrom('*', '1-5', '0,6', '3'),
        hours: fc.integer({ min: 1, max: 30 }),
        tz: zone,
      });
      expect(() =>
        fc.assert(
          fc.property(
            fc.array(win, { minLength: 1, maxLength: 3 }),
            instant,
            (ws, now) => {
              const windows: SyncWindow[] = ws.map(w => ({
                kind: w.kind,
                schedule: `${w.minute} ${w.hour} * * ${w.dow}`,
                duration: `${w.hours}h`,
                timeZone: w.tz,
                source: 'policy',
              }));
              const r = evaluateWindows(windows, now);
              if (!r.open && r.nextOpen) {
                const n = new Date(r.nextOpen).getTime();
                if (n <= now.getTime()) return false;
                if (!evaluateWindows(windows, new Date(n)).open) return false;
                if (evaluateWindows(windows, new Date(n - 60_000)).open)
                  return false;
              }
              if (r.open && r.openUntil) {
                const u = new Date(r.openUntil).getTime();
                if (u <= now.getTime()) return false;
                if (evaluateWindows(windows, new Date(u)).open) return false;
                if (!evaluateWindows(windows, new Date(u - 60_000)).open)
                  return false;
              }
              return true;
            },
          ),
          { numRuns: 80 },
        ),
      ).not.toThrow();
    });

    it('adding a deny window never opens a closed state', () => {
      expect(() =>
        fc.assert(
          fc.property(instant, fc.integer({ min: 0, max: 23 }), (now, hour) => {
            const deny: SyncWindow = {
              kind: 'deny',
              schedule: `0 ${hour} * * *`,
              duration: '3h',
              timeZone: 'UTC',
              source: 'policy',
            };
            const base = evaluateWindows([PROD], now).open;
            const withDeny = evaluateWindows([PROD, deny], now).open;
            return !withDeny || base;
          }),
          { numRuns: 200 },
        ),
      ).not.toThrow();
    });
  });
});
