import { mulberry32, seededPick, zipfCdf, zipfSampler } from './zipf';

describe('zipf sampling', () => {
  it('the cdf is increasing, ends at 1 and follows 1/k^s', () => {
    const cdf = zipfCdf(4, 1);
    // weights 1, 1/2, 1/3, 1/4 over 25/12
    expect(cdf[0]).toBeCloseTo(12 / 25, 12);
    expect(cdf[1]).toBeCloseTo(18 / 25, 12);
    expect(cdf[2]).toBeCloseTo(22 / 25, 12);
    expect(cdf[3]).toBe(1);
    expect(zipfCdf(3, 0)).toEqual([1 / 3, 2 / 3, 1]);
  });

  it('refuses an empty range or a negative exponent', () => {
    expect(() => zipfCdf(0, 1)).toThrow(/n ≥ 1/);
    expect(() => zipfCdf(3, -1)).toThrow(/s ≥ 0/);
  });

  it('samples ranks in range, skewed towards the first, with the expected frequencies', () => {
    const sample = zipfSampler(300, 1, 42);
    const counts = new Array(300).fill(0);
    const N = 200_000;
    for (let i = 0; i < N; i++) counts[sample()] += 1;
    const cdf = zipfCdf(300, 1);
    expect(counts[0] / N).toBeCloseTo(cdf[0], 2);
    expect(counts[1] / N).toBeCloseTo(cdf[1] - cdf[0], 2);
    expect(counts[0]).toBeGreaterThan(counts[9] * 5);
    // the tail is visited too: not one hot entity
    expect(counts.filter(c => c > 0).length).toBeGreaterThan(290);
  });

  it('is deterministic for a seed', () => {
    const a = zipfSampler(50, 1.1, 7);
    const b = zipfSampler(50, 1.1, 7);
    const c = zipfSampler(50, 1.1, 8);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c())).not.toEqual(xs);
    const r = mulberry32(1);
    const v = r();
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1);
  });

  it('seededPick picks distinct indexes deterministically', () => {
    const p = seededPick(700, 300, 3);
    expect(p).toHaveLength(300);
    expect(new Set(p).size).toBe(300);
    for (const i of p) expect(i >= 0 && i < 700).toBe(true);
    expect(seededPick(700, 300, 3)).toEqual(p);
    expect(() => seededPick(2, 3, 1)).toThrow(/cannot pick 3 of 2/);
  });
});
