import { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { z } from 'zod';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdClientStats } from './clientOptions';
import { ArgoCdInstanceConfig } from './config';
import {
  argoCdErrorInfo,
  argoErrorFromResponse,
  argoNotConfigured,
  isRetryableStatus,
} from './errors';
import {
  ExchangeContext,
  backoff,
  logBody,
  parseBody,
  parseJson,
  readText,
  send,
} from './exchange';
import { ArgoCdSessions } from './sessions';
import { StreamPlumbing } from './troubleshootingCalls';
import { buildQuery, userInfoOf, withoutUserInfo } from './urls';

type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

/** Options of {@link ArgoCdTransport.create}. */
export interface ArgoCdTransportOptions {
  instances: ArgoCdInstanceConfig[];
  cache: ReadCache;
  logger?: LoggerService;
  fetchImpl?: typeof fetch;
}

/**
 * The HTTP side of {@link ArgoCdClient}, per instance: the bearer token
 * (`./sessions`; a username/password session is renewed once on 401), the
 * call budget, retries with backoff for GETs, the concurrency limit, the
 * read cache, parsing every answer with its schema (`./exchange`), mapping
 * errors, redacting secrets, counting calls. The client names the
 * endpoints; this class knows none.
 */
export class ArgoCdTransport {
  readonly #instances: Map<string, ArgoCdInstanceConfig>;
  readonly #limits = new Map<string, ReturnType<typeof pLimit>>();
  readonly #sessions: ArgoCdSessions;
  readonly #cache: ReadCache;
  readonly #ctx: ExchangeContext;
  #stats: ArgoCdClientStats = {
    upstreamCalls: 0,
    byInstance: {},
    sessionsCreated: 0,
  };

  static create(options: ArgoCdTransportOptions): ArgoCdTransport {
    return new ArgoCdTransport(options);
  }

  private constructor(options: ArgoCdTransportOptions) {
    const secrets = options.instances.flatMap(i => [
      ...[i.token, i.password].filter((s): s is string => !!s),
      ...userInfoOf(i.url),
      ...userInfoOf(i.externalUrl),
    ]);
    const instances = options.instances.map(i => ({
      ...i,
      url: withoutUserInfo(i.url),
      externalUrl: withoutUserInfo(i.externalUrl),
    }));
    this.#instances = new Map(instances.map(i => [i.name, i]));
    for (const i of instances) {
      this.#limits.set(i.name, pLimit(i.concurrency));
    }
    this.#cache = options.cache;
    this.#ctx = {
      fetch: options.fetchImpl ?? ((...args) => fetch(...args)),
      secrets,
      logger: options.logger,
      count: instance => this.#count(instance),
    };
    this.#sessions = new ArgoCdSessions(this.#ctx, () => {
      this.#stats.sessionsCreated += 1;
    });
  }

  /** Every configured instance (URLs without user info). */
  instances(): ArgoCdInstanceConfig[] {
    return [...this.#instances.values()];
  }

  /** One instance's config; throws NotFoundError when unknown. */
  config(name: string): ArgoCdInstanceConfig {
    const c = this.#instances.get(name);
    if (!c) {
      throw argoNotConfigured(name);
    }
    return c;
  }

  /** The read cache's default TTL in ms (`gitops.cache.ttl`). */
  get defaultTtlMs(): number {
    return this.#cache.defaultTtlMs;
  }

  /** Copy of the call counters. */
  stats(): ArgoCdClientStats {
    return {
      upstreamCalls: this.#stats.upstreamCalls,
      byInstance: { ...this.#stats.byInstance },
      sessionsCreated: this.#stats.sessionsCreated,
    };
  }

  resetStats(): void {
    this.#stats = { upstreamCalls: 0, byInstance: {}, sessionsCreated: 0 };
  }

  /** Drops every cached read of an instance. */
  invalidate(instance: string): void {
    this.#cache.invalidate(`argocd:${instance}`);
  }

  /** A GET, from the cache when `cached` (TTL `ttlMs` or the default). */
  async get<T>(
    instance: string,
    path: string,
    schema: Schema<T>,
    query: Record<string, unknown>,
    cached: boolean | undefined,
    ttlMs?: number,
  ): Promise<T> {
    const key = `${path}${buildQuery(query)}`;
    return this.#cache.read(
      `argocd:${instance}`,
      key,
      () => this.#request(instance, 'GET', path, schema, { query }),
      { ttlMs: cached ? ttlMs : 0 },
    );
  }

  /** A GET whose answer never changes, cached under `key` for `ttlMs`. */
  async getImmutable<T>(
    instance: string,
    key: string,
    path: string,
    schema: Schema<T>,
    query: object,
    ttlMs: number,
  ): Promise<T> {
    return this.#cache.read(
      `argocd:${instance}`,
      key,
      () => this.#request(instance, 'GET', path, schema, { query }),
      { ttlMs, immutable: true },
    );
  }

  /** A write: never retried; the instance's cached reads are dropped after it. */
  async write<T>(
    instance: string,
    method: string,
    path: string,
    schema: Schema<T>,
    init: { body?: unknown; query?: object },
  ): Promise<T> {
    try {
      return await this.#request(instance, method, path, schema, init);
    } finally {
      this.invalidate(instance);
    }
  }

  /**
   * What a streaming call (`openLogStream`) needs: the instance's URL,
   * budget (from now), session, fetch, counter and secrets.
   */
  streamPlumbing(instance: string): StreamPlumbing {
    const cfg = this.config(instance);
    const deadline = Date.now() + cfg.timeoutMs;
    return {
      instance,
      url: cfg.url,
      timeoutMs: cfg.timeoutMs,
      token: stale => this.#sessions.token(cfg, deadline, stale),
      renewable: !cfg.token,
      fetch: this.#ctx.fetch,
      count: () => this.#count(instance),
      secrets: this.#ctx.secrets,
    };
  }

  #count(instance: string) {
    this.#stats.upstreamCalls += 1;
    this.#stats.byInstance[instance] =
      (this.#stats.byInstance[instance] ?? 0) + 1;
  }

  async #request<T>(
    instance: string,
    method: string,
    path: string,
    schema: Schema<T>,
    init: { body?: unknown; query?: object },
  ): Promise<T> {
    const cfg = this.config(instance);
    const deadline = Date.now() + cfg.timeoutMs;
    const limit = this.#limits.get(instance)!;
    const operation = `${method} ${path}`;
    const fullPath = `${path}${buildQuery(
      (init.query ?? {}) as Record<string, unknown>,
    )}`;
    return limit(async () => {
      let attempt = 0;
      let renewed = false;
      for (;;) {
        let token = await this.#sessions.token(cfg, deadline);
        let res: Response;
        try {
          res = await send(this.#ctx, cfg, method, fullPath, deadline, {
            body: init.body,
            token,
          });
        } catch (e) {
          const err = e as Error;
          if (
            method === 'GET' &&
            !isTimeout(err) &&
            (await backoff(attempt, deadline))
          ) {
            attempt += 1;
            continue;
          }
          throw err;
        }
        if (res.status === 401 && !cfg.token && !renewed) {
          await res.arrayBuffer().catch(() => undefined);
          renewed = true;
          token = await this.#sessions.token(cfg, deadline, token);
          continue;
        }
        const text = await readText(res);
        if (res.ok) {
          return parseBody(
            this.#ctx,
            instance,
            operation,
            res.status,
            text,
            schema,
          );
        }
        logBody(this.#ctx, instance, operation, res.status, text);
        if (
          method === 'GET' &&
          isRetryableStatus(res.status) &&
          (await backoff(attempt, deadline))
        ) {
          attempt += 1;
          continue;
        }
        throw argoErrorFromResponse(
          instance,
          operation,
          res.status,
          parseJson(text),
          this.#ctx.secrets,
        );
      }
    });
  }
}

/** Whether an error is this client's time budget running out. @public */
export function isTimeout(e: unknown): boolean {
  return argoCdErrorInfo(e)?.code === 'timeout';
}
