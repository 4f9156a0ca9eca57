/**
 * Seeded sampling for the benchmark's viewers: a small PRNG (mulberry32) and
 * a Zipf distribution over ranks 1..n (P(k) ∝ 1 / k^s), sampled by binary
 * search in its cumulative table. Deterministic for a seed; pure.
 */

/** Uniform in [0, 1), deterministic for `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative probabilities of Zipf(n, s): cdf[k-1] = P(rank ≤ k). */
export function zipfCdf(n: number, s: number): number[] {
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`zipf needs n ≥ 1, got ${n}`);
  if (!(s >= 0)) throw new Error(`zipf needs s ≥ 0, got ${s}`);
  const weights = Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, s));
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cdf = weights.map(w => (acc += w / total));
  cdf[n - 1] = 1;
  return cdf;
}

/** A sampler of 0-based ranks (0 = the most viewed) from Zipf(n, s), seeded. */
export function zipfSampler(n: number, s: number, seed: number): () => number {
  const cdf = zipfCdf(n, s);
  const rnd = mulberry32(seed);
  return () => {
    const u = rnd();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

/** `k` distinct indexes of 0..n-1 in a seeded random order (Fisher–Yates). */
export function seededPick(n: number, k: number, seed: number): number[] {
  if (k > n) throw new Error(`cannot pick ${k} of ${n}`);
  const rnd = mulberry32(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, k);
}
