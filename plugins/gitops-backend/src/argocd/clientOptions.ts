/** Options and answers of {@link ArgoCdClient} that are not Argo CD's own types. */

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
