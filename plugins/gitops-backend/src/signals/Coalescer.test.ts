import { Coalescer } from './Coalescer';
import { manualTimers } from './__testUtils__/fakes';

function setup() {
  const timers = manualTimers();
  const flushed: Array<[string, number[]]> = [];
  const c = new Coalescer<number[]>({
    windowMs: 250,
    merge: (a, b) => [...a, ...b],
    flush: (k, v) => flushed.push([k, v]),
    timers,
  });
  return { c, timers, flushed };
}

describe('Coalescer', () => {
  it('flushes the first value of a quiet key at once', () => {
    const { c, flushed } = setup();
    c.push('a', [1]);
    expect(flushed).toEqual([['a', [1]]]);
  });

  it('merges what arrives within the window into one flush at its end', () => {
    const { c, timers, flushed } = setup();
    c.push('a', [1]);
    c.push('a', [2]);
    c.push('a', [3]);
    expect(flushed).toEqual([['a', [1]]]);
    timers.advance(249);
    expect(flushed).toHaveLength(1);
    timers.advance(1);
    expect(flushed).toEqual([
      ['a', [1]],
      ['a', [2, 3]],
    ]);
  });

  it('a flush at the end of a window opens the next one', () => {
    const { c, timers, flushed } = setup();
    c.push('a', [1]);
    c.push('a', [2]);
    timers.advance(250); // flushes [2], opens a window
    c.push('a', [3]);
    expect(flushed).toHaveLength(2);
    timers.advance(250);
    expect(flushed.map(f => f[1])).toEqual([[1], [2], [3]]);
  });

  it('keys are independent', () => {
    const { c, flushed } = setup();
    c.push('a', [1]);
    c.push('b', [2]);
    c.push('a', [3]);
    expect(flushed).toEqual([
      ['a', [1]],
      ['b', [2]],
    ]);
  });

  it('forgets a key whose window ended with nothing pending', () => {
    const { c, timers, flushed } = setup();
    c.push('a', [1]);
    expect(c.activeKeys).toBe(1);
    timers.advance(250);
    expect(c.activeKeys).toBe(0);
    expect(timers.pending).toBe(0);
    c.push('a', [2]); // quiet again: at once
    expect(flushed.map(f => f[1])).toEqual([[1], [2]]);
  });

  it('at most one flush per key per window under a steady stream', () => {
    const { c, timers, flushed } = setup();
    for (let i = 0; i < 100; i++) {
      c.push('a', [i]);
      timers.advance(10); // 1 s of events every 10 ms
    }
    timers.advance(250);
    // 1 at once + one per 250 ms window
    expect(flushed.length).toBe(5);
    expect(flushed.flatMap(f => f[1])).toEqual([...Array(100).keys()]);
  });

  it('stop drops pending values and timers, and ignores later pushes', () => {
    const { c, timers, flushed } = setup();
    c.push('a', [1]);
    c.push('a', [2]);
    c.stop();
    expect(timers.pending).toBe(0);
    timers.advance(1000);
    c.push('b', [3]);
    expect(flushed).toEqual([['a', [1]]]);
  });
});
