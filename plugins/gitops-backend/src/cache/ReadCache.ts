import { CacheService } from '@backstage/backend-plugin-api';
import { JsonValue } from '@backstage/types';

/** Options of {@link ReadCache.read}. @public */
export interface ReadCacheOptions {
  /** Time to live in ms; 0 disables caching (coalescing still applies). Defaults to the configured TTL. */
  ttlMs?: number;
  /** Not subject to scope invalidation (immutable data such as commit metadata). */
  immutable?: boolean;
}

/**
 * Read-through cache over the Backstage cache service, with coalescing of
 * identical in-flight loads and per-scope invalidation.
 *
 * Scopes (e.g. one Argo CD instance) carry a generation number that is part of
 * every key; `invalidate(scope)` bumps it, so everything cached for the scope
 * is bypassed at once. Generations are per backend process: with several
 * replicas, another replica's writes become visible after at most one TTL.
 *
 * @public
 */
export class ReadCache {
  readonly #cache: CacheService | undefined;
  readonly #defaultTtlMs: number;
  readonly #inflight = new Map<string, Promise<unknown>>();
  readonly #generations = new Map<string, number>();
  /** In-process copy of recent values, so hot reads skip the cache store's (de)serialisation. */
  readonly #local = new Map<string, { v: unknown; expires: number }>();
  readonly #maxLocal: number;

  static create(options: {
    cache?: CacheService;
    defaultTtlMs: number;
    /** Most values kept in process (default 2000). */
    maxLocalEntries?: number;
  }): ReadCache {
    return new ReadCache(
      options.cache,
      options.defaultTtlMs,
      options.maxLocalEntries ?? 2000,
    );
  }

  private constructor(
    cache: CacheService | undefined,
    defaultTtlMs: number,
    maxLocal: number,
  ) {
    this.#cache = cache;
    this.#defaultTtlMs = defaultTtlMs;
    this.#maxLocal = maxLocal;
  }

  /** Configured default TTL in milliseconds. */
  get defaultTtlMs(): number {
    return this.#defaultTtlMs;
  }

  /** Forget everything cached in a scope (our own writes call this). */
  invalidate(scope: string): void {
    this.#generations.set(scope, (this.#generations.get(scope) ?? 0) + 1);
  }

  /** Runs `load` once for all concurrent callers with the same key. */
  coalesce<T>(key: string, load: () => Promise<T>): Promise<T> {
    const existing = this.#inflight.get(key);
    if (existing) {
      return existing as Promise<T>;
    }
    const p = (async () => {
      try {
        return await load();
      } finally {
        this.#inflight.delete(key);
      }
    })();
    this.#inflight.set(key, p);
    return p;
  }

  /**
   * Cached, coalesced read. Only JSON values can be cached; callers must not
   * mutate what they get. Values live in process and in the cache service
   * (shared between replicas) for `ttlMs`; the cache service is written in the
   * background so that a cold read does not wait for it.
   */
  read<T>(
    scope: string,
    key: string,
    load: () => Promise<T>,
    options: ReadCacheOptions = {},
  ): Promise<T> {
    const ttlMs = options.ttlMs ?? this.#defaultTtlMs;
    const gen = options.immutable
      ? 'i'
      : `g${this.#generations.get(scope) ?? 0}`;
    const fullKey = `${scope}:${gen}:${key}`;
    if (ttlMs > 0) {
      const local = this.#local.get(fullKey);
      if (local && local.expires > Date.now()) {
        return Promise.resolve(local.v as T);
      }
    }
    return this.coalesce(fullKey, async () => {
      if (ttlMs > 0 && this.#cache) {
        try {
          const hit = (await this.#cache.get(fullKey)) as
            | { v: T; t?: number }
            | undefined;
          if (hit && typeof hit === 'object' && 'v' in hit) {
            this.#remember(fullKey, hit.v, (hit.t ?? Date.now()) + ttlMs);
            return hit.v;
          }
        } catch {
          // A failing cache store must not fail reads.
        }
      }
      const value = await load();
      if (ttlMs > 0) {
        const now = Date.now();
        this.#remember(fullKey, value, now + ttlMs);
        this.#cache
          ?.set(
            fullKey,
            { v: value as unknown as JsonValue, t: now },
            { ttl: ttlMs },
          )
          .catch(() => undefined);
      }
      return value;
    });
  }

  #remember(key: string, v: unknown, expires: number): void {
    if (this.#local.size >= this.#maxLocal) {
      const now = Date.now();
      for (const [k, e] of this.#local) {
        if (e.expires <= now) this.#local.delete(k);
      }
      // Still full: drop the oldest insertions.
      for (const k of this.#local.keys()) {
        if (this.#local.size < this.#maxLocal) break;
        this.#local.delete(k);
      }
    }
    this.#local.delete(key);
    this.#local.set(key, { v, expires });
  }
}
