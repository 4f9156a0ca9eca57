import { LoggerService } from '@backstage/backend-plugin-api';
import { ReadCache } from '../cache/ReadCache';
import { ArgoCdTransport } from './ArgoCdTransport';
import {
  AppScope,
  ArgoCdClientStats,
  ArgoCdInstanceInfo,
  ReadOptions,
} from './clientOptions';
import { ArgoCdInstanceConfig } from './config';
import {
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  ArgoApplication,
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
} from './troubleshootingCalls';
import { ArgoAppProject, getProject, listProjects } from './projectCalls';
import { ApplicationWatchQuery } from './ApplicationStream';
import * as reads from './applicationReads';
import * as writes from './applicationWrites';
import * as streams from './streamCalls';

export type {
  AppScope,
  ArgoCdClientStats,
  ArgoCdInstanceInfo,
  ReadOptions,
} from './clientOptions';
export { isTimeout } from './ArgoCdTransport';
export { buildQuery } from './urls';

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
 * This class is the API: one method per endpoint, each delegating to a
 * function over `ArgoCdTransport` (the HTTP side: sessions, budget, retries,
 * cache, parsing, errors): `applicationReads`, `applicationWrites`,
 * `streamCalls` and `projectCalls`.
 *
 * @public
 */
export class ArgoCdClient {
  readonly #http: ArgoCdTransport;

  /**
   * The plugin creates its client (see `argoCdClientServiceRef`); other
   * plugins receive it from the service ref.
   *
   * @internal
   */
  static create(options: {
    instances: ArgoCdInstanceConfig[];
    cache: ReadCache;
    logger?: LoggerService;
    fetchImpl?: typeof fetch;
  }): ArgoCdClient {
    return new ArgoCdClient(ArgoCdTransport.create(options));
  }

  private constructor(http: ArgoCdTransport) {
    this.#http = http;
  }

  /** Configured instance names. */
  listInstances(): ArgoCdInstanceInfo[] {
    return this.#http.instances().map(i => ({
      name: i.name,
      externalUrl: i.externalUrl,
    }));
  }

  /** Public facts about one instance; throws NotFoundError when unknown. */
  getInstance(name: string): ArgoCdInstanceInfo {
    const i = this.#http.config(name);
    return { name: i.name, externalUrl: i.externalUrl };
  }

  /** The instance's call budget in ms. */
  getTimeoutMs(name: string): number {
    return this.#http.config(name).timeoutMs;
  }

  /** Link to an application in Argo CD's UI. */
  applicationUrl(
    instance: string,
    name: string,
    appNamespace?: string,
  ): string {
    const base = this.#http.config(instance).externalUrl;
    const ns = appNamespace
      ? `?appNamespace=${encodeURIComponent(appNamespace)}`
      : '';
    return `${base}/applications/${encodeURIComponent(name)}${ns}`;
  }

  /** Copy of the call counters. */
  getStats(): ArgoCdClientStats {
    return this.#http.stats();
  }

  /** Resets the call counters (tests and benchmarks). */
  resetStats(): void {
    this.#http.resetStats();
  }

  /** Drops every cached read of an instance. */
  invalidate(instance: string): void {
    this.#http.invalidate(instance);
  }

  // ---- reads ------------------------------------------------------------

  /** `GET /api/v1/applications/{name}`; `refresh` is never cached. */
  async getApplication(
    instance: string,
    name: string,
    options: ReadOptions & { refresh?: 'normal' | 'hard' } = {},
  ): Promise<ArgoApplication> {
    return reads.getApplication(this.#http, instance, name, options);
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
    return reads.listApplications(this.#http, instance, options);
  }

  /** `GET …/managed-resources`: live vs target per resource. */
  async getManagedResources(
    instance: string,
    name: string,
    options: ReadOptions = {},
  ): Promise<ArgoManagedResourcesResponse> {
    return reads.getManagedResources(this.#http, instance, name, options);
  }

  /** `GET …/resource-tree`. */
  async getResourceTree(
    instance: string,
    name: string,
    options: ReadOptions = {},
  ): Promise<ArgoApplicationTree> {
    return reads.getResourceTree(this.#http, instance, name, options);
  }

  /** `GET …/manifests?revision=`: rendered target manifests (JSON strings). */
  async getManifests(
    instance: string,
    name: string,
    options: ReadOptions & { revision?: string } = {},
  ): Promise<ArgoManifestResponse> {
    return reads.getManifests(this.#http, instance, name, options);
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
    return reads.getRevisionMetadata(
      this.#http,
      instance,
      name,
      revision,
      options,
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
    return reads.getSyncWindows(this.#http, instance, name, options);
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
    return getProject(this.#http, instance, name, options);
  }

  /**
   * `GET /api/v1/projects`: every AppProject the account may see (the
   * mirrors hold them for sync windows). Not cached.
   */
  async listProjects(instance: string): Promise<ArgoAppProject[]> {
    return listProjects(this.#http, instance);
  }

  /** `GET /api/version`: the server's version (e.g. `v3.1.8+a1b2c3d`). */
  async getVersion(instance: string): Promise<string> {
    return reads.getVersion(this.#http, instance);
  }

  /** `GET …/events`: Kubernetes events of the application, or of one resource. */
  async getResourceEvents(
    instance: string,
    name: string,
    options: ReadOptions & ResourceEventsQuery = {},
  ): Promise<ArgoEventList> {
    return reads.getResourceEvents(this.#http, instance, name, options);
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
    return streams.openPodLogs(this.#http, instance, name, query, signal);
  }

  /**
   * `GET /api/v1/applications` with the list's `metadata.resourceVersion`
   * (where a watch starts); `fields` projects what Argo CD sends. Not cached.
   */
  async listApplicationsWithVersion(
    instance: string,
    query: ApplicationWatchQuery = {},
  ): Promise<{ resourceVersion?: string; items: ArgoApplication[] }> {
    return streams.listApplicationsWithVersion(this.#http, instance, query);
  }

  /**
   * `GET /api/v1/stream/applications` (query from
   * `applicationWatchQueryString`): the open watch, parsed by
   * `ApplicationStream`; headers within the instance timeout, the body until
   * `signal` aborts. Not retried, not cached.
   */
  async openApplicationStream(
    instance: string,
    queryString: string,
    signal: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    return streams.openApplicationStream(
      this.#http,
      instance,
      queryString,
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
    return writes.sync(this.#http, instance, name, request);
  }

  /** `POST …/rollback` to a history id. */
  async rollback(
    instance: string,
    name: string,
    request: ApplicationRollbackRequest,
  ): Promise<ArgoApplication> {
    return writes.rollback(this.#http, instance, name, request);
  }

  /** `DELETE …/operation`. */
  async terminateOperation(
    instance: string,
    name: string,
    scope: AppScope = {},
  ): Promise<void> {
    return writes.terminateOperation(this.#http, instance, name, scope);
  }

  /** `PATCH /api/v1/applications/{name}`; `patch` is JSON text. */
  async patchApplication(
    instance: string,
    name: string,
    request: { patch: string; patchType: 'merge' | 'json' } & AppScope,
  ): Promise<ArgoApplication> {
    return writes.patchApplication(this.#http, instance, name, request);
  }

  /** `PUT …/spec`: replaces the whole spec. */
  async updateSpec(
    instance: string,
    name: string,
    spec: ArgoApplicationSpec,
    options: AppScope & { validate?: boolean } = {},
  ): Promise<ArgoApplicationSpec> {
    return writes.updateSpec(this.#http, instance, name, spec, options);
  }
}
