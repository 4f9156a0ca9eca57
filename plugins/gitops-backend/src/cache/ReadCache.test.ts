import { ReadCache } from './ReadCache';

function store(fail = false) {
  const m = new Map<string, unknown>();
  return {
    m,
    cache: {
      get: async (k: string) => {
        if (fail) throw new Error('store down');
        return m.get(k);
      },
      set: async (k: string, v: unknown) => {
        if (fail) throw new Error('store down');
        m.set(k, v);
      },
      delete: async (k: string) => void m.delete(k),
      withOptions() {
        return this;
      },
    } as any,
  };
}

describe('ReadCache', () => {
  it('loads once for concurrent readers and serves later reads from cache', async () => {
    const c = ReadCache.create({ defaultTtlMs: 60_000, cache: store().cache });
    let loads = 0;
    const load = async () => {
      loads += 1;
      await new Promise(r => setTimeout(r, 10));
      return { n: loads };
    };
    const values = await Promise.all(
      Array.from({ length: 5 }, () => c.read('s', 'k', load)),
    );
    expect(values.every(v => v.n === 1)).toBe(true);
    await c.read('s', 'k', load);
    expect(loads).toBe(1);
  });

  it('shares values between instances through the cache store', async () => {
    const s = store();
    const a = ReadCache.create({ defaultTtlMs: 60_000, cache: s.cache });
    const b = ReadCache.create({ defaultTtlMs: 60_000, cache: s.cache });
    await a.read('s', 'k', async () => 'from-a');
    await new Promise(r => setImmediate(r)); // background write
    expect(await b.read('s', 'k', async () => 'from-b')).toBe('from-a');
  });

  it('invalidates a scope but not immutable entries', async () => {
    const c = ReadCache.create({ defaultTtlMs: 60_000, cache: store().cache });
    let n = 0;
    const load = async () => ++n;
    expect(await c.read('s', 'k', load)).toBe(1);
    expect(
      await c.read('s', 'sha', load, { immutable: true, ttlMs: 1e9 }),
    ).toBe(2);
    c.invalidate('s');
    expect(await c.read('s', 'k', load)).toBe(3);
    expect(
      await c.read('s', 'sha', load, { immutable: true, ttlMs: 1e9 }),
    ).toBe(2);
    expect(await c.read('other', 'k', load)).toBe(4);
  });

  it('does not cache with ttl 0 and survives a failing store', async () => {
    const c = ReadCache.create({ defaultTtlMs: 0, cache: store().cache });
    let n = 0;
    await c.read('s', 'k', async () => ++n);
    await c.read('s', 'k', async () => ++n);
    expect(n).toBe(2);
    const f = ReadCache.create({
      defaultTtlMs: 60_000,
      cache: store(true).cache,
    });
    expect(await f.read('s', 'k', async () => 'ok')).toBe('ok');
  });

  it('does not cache failures', async () => {
    const c = ReadCache.create({ defaultTtlMs: 60_000, cache: store().cache });
    await expect(
      c.read('s', 'k', async () => Promise.reject(new Error('x'))),
    ).rejects.toThrow('x');
    expect(await c.read('s', 'k', async () => 'ok')).toBe('ok');
  });
});
