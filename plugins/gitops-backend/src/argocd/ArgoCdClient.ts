import { LoggerService } from '@backstage/backend-plugin-api';
import pLimit from 'p-limit';
import { z } from 'zod';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdInstanceConfig } from './config';
import {
  argoCdErrorInfo,
  argoErrorFromResponse,
  argoNotConfigured,
  argoTimeout,
  argoUnexpectedBody,
  argoUnreachable,
  isRetryableStatus,
  redactSecrets,
} from './errors';
import {
  anySchema,
  applicationListSchema,
  applicationSchema,
  applicationSpecSchema,
  describeMismatch,
  managedResourcesSchema,
  manifestsSchema,
  resourceTreeSchema,
  revisionMetadataSchema,
  sessionSchema,
  syncWindowsSchema,
  versionSchema,
} from './schemas';
import {
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  ArgoApplication,
  ArgoApplicationList,
  ArgoApplicationSpec,
  ArgoApplicationTree,
  ArgoManagedResourcesResponse,
  ArgoManifestResponse,
  ArgoRevisionMetadata,
  ArgoSyncWindowsResponse,
} from './types';
import {
  ArgoEventList,
  PodLogsQuery,
  ResourceEventsQuery,
  eventListSchema,
  openLogStream,
} from './troubleshootingCalls';
import { ArgoAppProject, appProjectSchema } from './projectCalls';

/** What parseJson returns for a text that is not JSON. */
const NOT_JSON = Symbol('not JSON');

/** Minimum TTL of cached sync-window reads. */
const SYNC_WINDOWS_TTL_MS = 60_000;

/** Identity options accepted by most application calls. @public */
export interface AppScope {
  project?: string;
  appNamespace?: string;
}

/** Read options. @public */
export interface ReadOptions extends AppScope {
  /**
   * Serve from the short-lived read cache (TTL `gitops.cache.ttl`). Off by
   * default so that callers following an operation see fresh state.
   */
  cached?: boolean;
}

/** What people may see about an instance (no credentials). @public */
export interface ArgoCdInstanceInfo {
  name: string;
  externalUrl: string;
}

/** Counters of calls made to Argo CD. @public */
export interface ArgoCdClientStats {
  /** HTTP requests sent to Argo CD, sessions and retries included. */
  upstreamCalls: number;
  byInstance: Record<string, number>;
  sessionsCreated: number;
}

/**
 * Multi-instance Argo CD REST client.
 *
 * - token, or username/password with one session per instance, reused and
 *   renewed once on 401;
 * - a time budget per call (instance `timeout`, retries included), enforced
 *   with AbortSignal;
 * - GETs retried with backoff on 429/502/503/504 and network errors; writes never;
 * - identical in-flight GETs coalesced; optional short-lived cache; every
 *   write invalidates what was cached for its instance;
 * - per-instance concurrency limit;
 * - every answer parsed with a zod schema of the fields we use: not JSON or
 *   the wrong shape is a ServiceUnavailableError naming where it broke;
 * - errors mapped to `@backstage/errors` classes with the status and a short
 *   reason, never an upstream HTML page or 5xx body (those go to the debug
 *   log, secrets removed); credentials redacted, user info in instance URLs
 *   taken out of every URL we use or show.
 *
 * @public
 */
export class ArgoCdClient {
  readonly #instances: Map<string, ArgoCdInstanceConfig>;
  readonly #limits = new Map<string, ReturnType<typeof pLimit>>();
  readonly #sessions = new Map<string, Promise<string>>();
  readonly #cache: ReadCache;
  readonly #logger?: LoggerService;
  readonly #secrets: string[];
  readonly #fetch: typeof fetch;
  #stats: ArgoCdClientStats = {
    upstreamCalls: 0,
    byInstance: {},
    sessionsCreated: 0,
  };

  static create(options: {
    instances: ArgoCdInstanceConfig[];
    cache: ReadCache;
    logger?: LoggerService;
    fetchImpl?: typeof fetch;
  }): ArgoCdClient {
    return new ArgoCdClient(options);
  }

  private constructor(options: {
    instances: ArgoCdInstanceConfig[];
    cache: ReadCache;
    logger?: LoggerService;
    fetchImpl?: typeof fetch;
  }) {
    this.#secrets = options.instances.flatMap(i => [
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
    this.#logger = options.logger;
    this.#fetch = options.fetchImpl ?? ((...args) => fetch(...args));
  }

  /** Configured instance names. */
  listInstances(): ArgoCdInstanceInfo[] {
    return [...this.#instances.values()].map(i => ({
      name: i.name,
      externalUrl: i.externalUrl,
    }));
  }

  /** Public facts about one instance; throws NotFoundError when unknown. */
  getInstance(name: string): ArgoCdInstanceInfo {
    const i = this.#config(name);
    return { name: i.name, externalUrl: i.externalUrl };
  }

  /** The instance's call budget in ms. */
  getTimeoutMs(name: string): number {
    return this.#config(name).timeoutMs;
  }

  /** Link to an application in Argo CD's UI. */
  applicationUrl(
    instance: string,
    name: string,
    appNamespace?: string,
  ): string {
    const base = this.#config(instance).externalUrl;
    const ns = appNamespace
      ? `?appNamespace=${encodeURIComponent(appNamespace)}`
      : '';
    return `${base}/applications/${encodeURIComponent(name)}${ns}`;
  }

  /** Copy of the call counters. */
  getStats(): ArgoCdClientStats {
    return {
      upstreamCalls: this.#stats.upstreamCalls,
      byInstance: { ...this.#stats.byInstance },
      sessionsCreated: this.#stats.sessionsCreated,
    };
  }

  /** Resets the call counters (tests and benchmarks). */
  resetStats(): void {
    this.#stats = { upstreamCalls: 0, byInstance: {}, sessionsCreated: 0 };
  }

  /** Drops every cached read of an instance. */
  invalidate(instance: string): void {
    this.#cache.invalidate(`argocd:${instance}`);
  }

  // ---- reads ------------------------------------------------------------

  /** `GET /api/v1/applications/{name}`; `refresh` is never cached. */
  async getApplication(
    instance: string,
    name: string,
    options: ReadOptions & { refresh?: 'normal' | 'hard' } = {},
  ): Promise<ArgoApplication> {
    const { refresh, cached, ...scope } = options;
    const app = await this.#get(
      instance,
      `/api/v1/applications/${enc(name)}`,
      applicationSchema,
      { ...scope, refresh },
      cached && !refresh,
    );
    if (refresh) this.invalidate(instance);
    return app;
  }

  /** `GET /api/v1/applications` with label selector and projects. */
  async listApplications(
    instance: string,
    options: {
      selector?: string;
      projects?: string[];
      appNamespace?: string;
      name?: string;
      cached?: boolean;
    } = {},
  ): Promise<ArgoApplication[]> {
    const { cached, ...query } = options;
    const list: ArgoApplicationList = await this.#get(
      instance,
      '/api/v1/applications',
      applicationListSchema,
      query,
      cached,
    );
    return list.items ?? [];
  }

  /** `GET …/managed-resources`: live vs target per resource. */
  async getManagedResources(
    instance: string,
    name: string,
    options: ReadOptions = {},
  ): Promise<ArgoManagedResourcesResponse> {
    const { cached, ...scope } = options;
    return this.#get(
      instance,
      `/api/v1/applications/${enc(name)}/managed-resources`,
      managedResourcesSchema,
      scope,
      cached,
    );
  }

  /** `GET …/resource-tree`. */
  async getResourceTree(
    instance: string,
    name: string,
    options: ReadOptions = {},
  ): Promise<ArgoApplicationTree> {
    const { cached, ...scope } = options;
    return this.#get(
      instance,
      `/api/v1/applications/${enc(name)}/resource-tree`,
      resourceTreeSchema,
      scope,
      cached,
    );
  }

  /** `GET …/manifests?revision=`: rendered target manifests (JSON strings). */
  async getManifests(
    instance: string,
    name: string,
    options: ReadOptions & { revision?: string } = {},
  ): Promise<ArgoManifestResponse> {
    const { cached, ...query } = options;
    return this.#get(
      instance,
      `/api/v1/applications/${enc(name)}/manifests`,
      manifestsSchema,
      query,
      cached,
    );
  }

  /**
   * `GET …/revisions/{sha}/metadata`. Commits never change, so results are
   * cached for good (30 days) regardless of `cached`.
   */
  async getRevisionMetadata(
    instance: string,
    name: string,
    revision: string,
    options: AppScope & { sourceIndex?: number; versionId?: number } = {},
  ): Promise<ArgoRevisionMetadata> {
    const path = `/api/v1/applications/${enc(name)}/revisions/${enc(
      revision,
    )}/metadata`;
    return this.#cache.read(
      `argocd:${instance}`,
      `rev:${name}:${revision}:${options.sourceIndex ?? ''}`,
      () =>
        this.#request(instance, 'GET', path, revisionMetadataSchema, {
          query: options,
        }),
      { ttlMs: 30 * 24 * 3600_000, immutable: true },
    );
  }

  /**
   * `GET …/syncwindows`. Windows are project configuration and change rarely,
   * so cached reads live at least 60 s (or the configured TTL when longer).
   */
  async getSyncWindows(
    instance: string,
    name: string,
    options: ReadOptions = {},
  ): Promise<ArgoSyncWindowsResponse> {
    const { cached, ...scope } = options;
    return this.#get(
      instance,
      `/api/v1/applications/${enc(name)}/syncwindows`,
      syncWindowsSchema,
      scope,
      cached,
      Math.max(SYNC_WINDOWS_TTL_MS, this.#cache.defaultTtlMs),
    );
  }

  /**
   * `GET /api/v1/projects/{name}`: the AppProject, for its sync windows with
   * their time zones. Cached like the sync windows (project configuration).
   */
  async getProject(
    instance: string,
    name: string,
    options: { cached?: boolean } = {},
  ): Promise<ArgoAppProject> {
    return this.#get(
      instance,
      `/api/v1/projects/${enc(name)}`,
      appProjectSchema,
      {},
      options.cached,
      Math.max(SYNC_WINDOWS_TTL_MS, this.#cache.defaultTtlMs),
    );
  }

  /** `GET /api/version`: the server's version (e.g. `v3.1.8+a1b2c3d`). */
  async getVersion(instance: string): Promise<string> {
    const v = await this.#get(
      instance,
      '/api/version',
      versionSchema,
      {},
      false,
    );
    return v.Version;
  }

  /** `GET …/events`: Kubernetes events of the application, or of one resource. */
  async getResourceEvents(
    instance: string,
    name: string,
    options: ReadOptions & ResourceEventsQuery = {},
  ): Promise<ArgoEventList> {
    const { cached, ...query } = options;
    return this.#get(
      instance,
      `/api/v1/applications/${enc(name)}/events`,
      eventListSchema,
      query,
      cached,
    );
  }

  /**
   * `GET …/logs`: the open log stream (newline-delimited JSON, see
   * `parseLogLine`); headers within the instance timeout, the body until
   * `signal` aborts. Not retried, not cached, not coalesced.
   */
  async openPodLogs(
    instance: string,
    name: string,
    query: PodLogsQuery,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const cfg = this.#config(instance);
    const deadline = Date.now() + cfg.timeoutMs;
    return openLogStream(
      {
        instance,
        url: cfg.url,
        timeoutMs: cfg.timeoutMs,
        token: stale => this.#session(cfg, deadline, stale),
        renewable: !cfg.token,
        fetch: this.#fetch,
        count: () => this.#count(instance),
        secrets: this.#secrets,
      },
      `/api/v1/applications/${enc(name)}/logs`,
      buildQuery({ ...query }),
      signal,
    );
  }

  // ---- writes (never retried, always invalidate) --------------------------

  /** `POST …/sync`. */
  async sync(
    instance: string,
    name: string,
    request: ApplicationSyncRequest,
  ): Promise<ArgoApplication> {
    return this.#write(
      instance,
      'POST',
      `/api/v1/applications/${enc(name)}/sync`,
      applicationSchema,
      {
        body: { ...request, name },
      },
    );
  }

  /** `POST …/rollback` to a history id. */
  async rollback(
    instance: string,
    name: string,
    request: ApplicationRollbackRequest,
  ): Promise<ArgoApplication> {
    return this.#write(
      instance,
      'POST',
      `/api/v1/applications/${enc(name)}/rollback`,
      applicationSchema,
      {
        body: { ...request, name, id: Number(request.id) },
      },
    );
  }

  /** `DELETE …/operation`. */
  async terminateOperation(
    instance: string,
    name: string,
    scope: AppScope = {},
  ): Promise<void> {
    await this.#write(
      instance,
      'DELETE',
      `/api/v1/applications/${enc(name)}/operation`,
      anySchema,
      {
        query: scope,
      },
    );
  }

  /** `PATCH /api/v1/applications/{name}`; `patch` is JSON text. */
  async patchApplication(
    instance: string,
    name: string,
    request: { patch: string; patchType: 'merge' | 'json' } & AppScope,
  ): Promise<ArgoApplication> {
    return this.#write(
      instance,
      'PATCH',
      `/api/v1/applications/${enc(name)}`,
      applicationSchema,
      { body: { ...request, name } },
    );
  }

  /** `PUT …/spec`: replaces the whole spec. */
  async updateSpec(
    instance: string,
    name: string,
    spec: ArgoApplicationSpec,
    options: AppScope & { validate?: boolean } = {},
  ): Promise<ArgoApplicationSpec> {
    return this.#write(
      instance,
      'PUT',
      `/api/v1/applications/${enc(name)}/spec`,
      applicationSpecSchema,
      {
        body: spec,
        query: options,
      },
    );
  }

  // ---- plumbing ----------------------------------------------------------

  #config(name: string): ArgoCdInstanceConfig {
    const c = this.#instances.get(name);
    if (!c) {
      throw argoNotConfigured(name);
    }
    return c;
  }

  async #get<T>(
    instance: string,
    path: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    query: Record<string, unknown>,
    cached: boolean | undefined,
    ttlMs?: number,
  ): Promise<T> {
    const qs = buildQuery(query);
    const key = `${path}${qs}`;
    return this.#cache.read(
      `argocd:${instance}`,
      key,
      () => this.#request(instance, 'GET', path, schema, { query }),
      { ttlMs: cached ? ttlMs : 0 },
    );
  }

  async #write<T>(
    instance: string,
    method: string,
    path: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    init: { body?: unknown; query?: object },
  ): Promise<T> {
    try {
      return await this.#request(instance, method, path, schema, init);
    } finally {
      this.invalidate(instance);
    }
  }

  #count(instance: string) {
    this.#stats.upstreamCalls += 1;
    this.#stats.byInstance[instance] =
      (this.#stats.byInstance[instance] ?? 0) + 1;
  }

  async #session(
    cfg: ArgoCdInstanceConfig,
    deadline: number,
    stale?: string,
  ): Promise<string> {
    if (cfg.token) return cfg.token;
    const existing = this.#sessions.get(cfg.name);
    if (existing) {
      const value = await existing.catch(() => undefined);
      if (value && value !== stale) return value;
      if (this.#sessions.get(cfg.name) !== existing) {
        return this.#session(cfg, deadline, stale);
      }
    }
    const p = (async () => {
      const res = await this.#send(cfg, 'POST', '/api/v1/session', deadline, {
        body: { username: cfg.username, password: cfg.password },
      });
      const operation = 'POST /api/v1/session';
      const text = await readText(res);
      if (!res.ok) {
        this.#logBody(cfg.name, operation, res.status, text);
        throw argoErrorFromResponse(
          cfg.name,
          operation,
          res.status,
          parseJson(text),
          this.#secrets,
        );
      }
      const { token } = this.#parse(
        cfg.name,
        operation,
        res.status,
        text,
        sessionSchema,
      );
      this.#stats.sessionsCreated += 1;
      this.#secrets.push(token);
      return token;
    })();
    this.#sessions.set(cfg.name, p);
    p.catch(() => {
      if (this.#sessions.get(cfg.name) === p) this.#sessions.delete(cfg.name);
    });
    return p;
  }

  async #request<T>(
    instance: string,
    method: string,
    path: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    init: { body?: unknown; query?: object },
  ): Promise<T> {
    const cfg = this.#config(instance);
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
        let token = await this.#session(cfg, deadline);
        let res: Response;
        try {
          res = await this.#send(cfg, method, fullPath, deadline, {
            body: init.body,
            token,
          });
        } catch (e) {
          const err = e as Error;
          if (
            method === 'GET' &&
            !isTimeout(err) &&
            (await this.#backoff(attempt, deadline))
          ) {
            attempt += 1;
            continue;
          }
          throw err;
        }
        if (res.status === 401 && !cfg.token && !renewed) {
          await res.arrayBuffer().catch(() => undefined);
          renewed = true;
          token = await this.#session(cfg, deadline, token);
          continue;
        }
        const text = await readText(res);
        if (res.ok) {
          return this.#parse(instance, operation, res.status, text, schema);
        }
        this.#logBody(instance, operation, res.status, text);
        if (
          method === 'GET' &&
          isRetryableStatus(res.status) &&
          (await this.#backoff(attempt, deadline))
        ) {
          attempt += 1;
          continue;
        }
        throw argoErrorFromResponse(
          instance,
          operation,
          res.status,
          parseJson(text),
          this.#secrets,
        );
      }
    });
  }

  /** Parses a 2xx body with its schema; not JSON or the wrong shape throws. */
  #parse<T>(
    instance: string,
    operation: string,
    status: number,
    text: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  ): T {
    const json = text.trim() === '' ? {} : parseJson(text);
    if (json === NOT_JSON) {
      this.#logBody(instance, operation, status, text);
      throw argoUnexpectedBody(
        instance,
        operation,
        status,
        'a body that is not JSON',
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      this.#logBody(instance, operation, status, text);
      throw argoUnexpectedBody(
        instance,
        operation,
        status,
        `an unexpected body (${describeMismatch(parsed.error)})`,
      );
    }
    return parsed.data;
  }

  /** Upstream bodies go to the debug log only, shortened, secrets removed. */
  #logBody(instance: string, operation: string, status: number, text: string) {
    this.#logger?.debug(
      redactSecrets(
        `Argo CD instance '${instance}' answered ${status} to ${operation}: ${text.slice(
          0,
          2000,
        )}`,
        this.#secrets,
      ),
    );
  }

  /** Waits before a retry; false when no retry fits the budget. */
  async #backoff(attempt: number, deadline: number): Promise<boolean> {
    if (attempt >= 2) return false;
    const delay = 100 * 2 ** attempt + Math.floor(Math.random() * 50);
    if (Date.now() + delay + 50 >= deadline) return false;
    await new Promise(r => setTimeout(r, delay));
    return true;
  }

  async #send(
    cfg: ArgoCdInstanceConfig,
    method: string,
    pathAndQuery: string,
    deadline: number,
    init: { body?: unknown; token?: string },
  ): Promise<Response> {
    const remaining = deadline - Date.now();
    const operation = `${method} ${pathAndQuery.split('?')[0]}`;
    if (remaining <= 0) {
      throw timeoutError(cfg, operation);
    }
    this.#count(cfg.name);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.#fetch(`${cfg.url}${pathAndQuery}`, {
        method,
        headers,
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(remaining),
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || err.name === 'AbortError') {
        throw timeoutError(cfg, operation);
      }
      const cause = (err as { cause?: { code?: string; message?: string } })
        .cause;
      const reason = cause?.code ?? cause?.message ?? err.message;
      throw argoUnreachable(
        redactSecrets(
          `Argo CD instance '${cfg.name}' is unreachable (${operation}): ${reason}`,
          this.#secrets,
        ),
      );
    }
  }
}

function timeoutError(cfg: ArgoCdInstanceConfig, operation: string): Error {
  return argoTimeout(cfg.name, operation, cfg.timeoutMs);
}

/** Whether an error is this client's time budget running out. @public */
export function isTimeout(e: unknown): boolean {
  return argoCdErrorInfo(e)?.code === 'timeout';
}

async function readText(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch {
    return '';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** `user:password` (decoded and as written) of a URL, to redact. */
function userInfoOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.username, u.password]
      .filter(Boolean)
      .flatMap(v => [v, decodeURIComponent(v)]);
  } catch {
    return [];
  }
}

/** The URL without `user:password@` (never used, never shown). */
function withoutUserInfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url;
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** Builds `?a=1&b=x&b=y` from defined values (arrays repeat the key). */
export function buildQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      for (const item of v) params.append(k, String(item));
    } else {
      params.append(k, String(v));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
