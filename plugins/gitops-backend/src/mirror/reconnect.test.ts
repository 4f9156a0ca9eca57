import {
  backoffDelayMs,
  isTooOld,
  listContradicts,
  nextStep,
} from './reconnect';

const cfg = {
  initialBackoffMs: 100,
  maxBackoffMs: 1000,
  resyncAfterFailures: 4,
};

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap, with half of it random', () => {
    const lo = (a: number) => backoffDelayMs(a, cfg, () => 0);
    const hi = (a: number) => backoffDelayMs(a, cfg, () => 1);
    expect([0, 1, 2, 3, 4, 10, 100].map(lo)).toEqual([
      50, 100, 200, 400, 500, 500, 500,
    ]);
    expect([0, 1, 2, 3, 4, 10, 100].map(hi)).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
    expect(backoffDelayMs(-3, cfg, () => 0.5)).toBe(75);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelayMs(2, cfg);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('isTooOld', () => {
  it('knows the ways a server says a version cannot be resumed from', () => {
    expect(isTooOld('anything', 410)).toBe(true);
    expect(isTooOld('too old resource version: 12 (40)')).toBe(true);
    expect(
      isTooOld('The resourceVersion for the provided watch is too old.'),
    ).toBe(true);
    expect(isTooOld('resource version 5 has expired')).toBe(true);
    expect(isTooOld('410 Gone')).toBe(true);
    expect(isTooOld('permission denied', 403)).toBe(false);
    expect(isTooOld('transport is closing')).toBe(false);
  });
});

describe('nextStep', () => {
  const step = (over: Partial<Parameters<typeof nextStep>[0]>) =>
    nextStep({
      end: { kind: 'closed' },
      resourceVersion: '42',
      failures: 1,
      cfg,
      random: () => 0,
      ...over,
    });

  it('stops when we aborted', () => {
    expect(step({ end: { kind: 'aborted' } })).toEqual({ kind: 'stop' });
  });
  it('resumes from the last version after a closed stream or a failure, with backoff by failures', () => {
    expect(step({})).toEqual({
      kind: 'resume',
      resourceVersion: '42',
      delayMs: 50,
    });
    expect(
      step({ end: { kind: 'failed', message: 'unreachable' }, failures: 3 }),
    ).toEqual({ kind: 'resume', resourceVersion: '42', delayMs: 200 });
    expect(
      step({ end: { kind: 'failed', status: 503, message: 'x' }, failures: 2 }),
    ).toMatchObject({ kind: 'resume' });
    expect(
      step({ end: { kind: 'failed', status: 401, message: 'x' } }),
    ).toMatchObject({ kind: 'resume' });
  });
  it('resyncs without a version to resume from', () => {
    for (const rv of [undefined, '', 'abc']) {
      expect(step({ resourceVersion: rv })).toMatchObject({
        kind: 'resync',
        reason: 'no resourceVersion to resume from',
      });
    }
  });
  it('resyncs after an error message on the stream, naming a too-old version', () => {
    expect(
      step({
        end: {
          kind: 'error-line',
          message: 'too old resource version',
          httpCode: 410,
        },
      }),
    ).toMatchObject({
      kind: 'resync',
      reason: 'the resourceVersion is too old to resume from',
    });
    expect(
      step({ end: { kind: 'error-line', message: 'internal' } }),
    ).toMatchObject({
      kind: 'resync',
      reason: 'the stream ended with an error',
    });
  });
  it('resyncs when Argo CD refuses the resume (400, 410)', () => {
    for (const status of [400, 410]) {
      expect(
        step({ end: { kind: 'failed', status, message: 'x' } }),
      ).toMatchObject({
        kind: 'resync',
        reason: `Argo CD refused to resume (HTTP ${status})`,
      });
    }
  });
  it('resyncs after too many failures in a row', () => {
    expect(step({ failures: 3 })).toMatchObject({ kind: 'resume' });
    expect(step({ failures: 4 })).toMatchObject({
      kind: 'resync',
      reason: '4 failed reconnects in a row',
      delayMs: 400,
    });
  });
});

describe('listContradicts', () => {
  it('only a lower list version than one seen contradicts', () => {
    expect(listContradicts('10', '9')).toBe(true);
    expect(listContradicts('10', '10')).toBe(false);
    expect(listContradicts('10', '11')).toBe(false);
    expect(listContradicts(undefined, '1')).toBe(false);
    expect(listContradicts('10', undefined)).toBe(false);
    expect(listContradicts('10', 'x')).toBe(false);
  });
});
