import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ReadCache } from '../cache/ReadCache';
import { redactSecrets } from '../argocd/errors';
import { HelmClusterConfig } from './config';
import { HelmRelease, decodeHelmRelease } from './decodeRelease';

/**
 * Reads Helm release history from Helm's release Secrets through the
 * Kubernetes API (`owner=helm,name=<release>`), one client per configured
 * cluster. Release values never leave this class.
 *
 * @public
 */
export class HelmReleaseReader {
  readonly #clusters: Map<string, { cfg: HelmClusterConfig; api: CoreV1Api }>;
  readonly #cache: ReadCache;
  readonly #logger?: LoggerService;
  readonly #secrets: string[];
  #calls = 0;

  static create(options: {
    clusters: HelmClusterConfig[];
    cache: ReadCache;
    logger?: LoggerService;
  }): HelmReleaseReader {
    return new HelmReleaseReader(
      options.clusters,
      options.cache,
      options.logger,
    );
  }

  private constructor(
    clusters: HelmClusterConfig[],
    cache: ReadCache,
    logger?: LoggerService,
  ) {
    this.#cache = cache;
    this.#logger = logger;
    this.#secrets = clusters.map(c => c.token).filter((t): t is string => !!t);
    this.#clusters = new Map(
      clusters.map(cfg => {
        const kc = new KubeConfig();
        kc.loadFromOptions({
          clusters: [
            {
              name: cfg.name,
              server: cfg.url,
              // Plain http has no TLS to verify; the client refuses it otherwise.
              skipTLSVerify: cfg.skipTLSVerify || cfg.url.startsWith('http:'),
              caData: cfg.caData,
            },
          ],
          users: [{ name: 'gitops', token: cfg.token }],
          contexts: [{ name: cfg.name, cluster: cfg.name, user: 'gitops' }],
          currentContext: cfg.name,
        });
        return [cfg.name, { cfg, api: kc.makeApiClient(CoreV1Api) }];
      }),
    );
  }

  /** Configured cluster names. */
  listClusters(): string[] {
    return [...this.#clusters.keys()];
  }

  /** Calls made to Kubernetes (tests, benchmark). */
  get upstreamCalls(): number {
    return this.#calls;
  }

  /** Invalidates cached reads of a cluster (after a Helm action of ours). */
  invalidate(cluster: string): void {
    this.#cache.invalidate(`helm:${cluster}`);
  }

  /** Every stored revision of a release, newest first. */
  async getHistory(
    cluster: string,
    namespace: string,
    release: string,
  ): Promise<HelmRelease[]> {
    const entry = this.#clusters.get(cluster);
    if (!entry) {
      throw new NotFoundError(`Helm cluster '${cluster}' is not configured`);
    }
    return this.#cache.read(
      `helm:${cluster}`,
      `history:${namespace}/${release}`,
      async () => {
        this.#calls += 1;
        let timer: NodeJS.Timeout | undefined;
        try {
          const list = await Promise.race([
            entry.api.listNamespacedSecret({
              namespace,
              labelSelector: `owner=helm,name=${release}`,
            }),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () =>
                  reject(
                    new ServiceUnavailableError(
                      `Kubernetes cluster '${cluster}' did not answer within ${entry.cfg.timeoutMs} ms`,
                    ),
                  ),
                entry.cfg.timeoutMs,
              );
            }),
          ]);
          const releases: HelmRelease[] = [];
          for (const item of list.items ?? []) {
            const data = item.data?.release;
            if (!data) continue;
            try {
              releases.push(decodeHelmRelease(data));
            } catch (e) {
              this.#logger?.warn(
                `Could not decode Helm release secret ${namespace}/${
                  item.metadata?.name
                }: ${(e as Error).message}`,
              );
            }
          }
          return releases.sort((a, b) => b.revision - a.revision);
        } catch (e) {
          throw this.#mapError(cluster, e);
        } finally {
          if (timer) clearTimeout(timer);
        }
      },
    );
  }

  #mapError(cluster: string, e: unknown): Error {
    if (e instanceof ServiceUnavailableError) return e;
    const err = e as { code?: number; body?: unknown; message?: string };
    let reason = err.message ?? String(e);
    let body: { message?: string; reason?: string } | undefined;
    if (typeof err.body === 'string') {
      try {
        body = JSON.parse(err.body);
      } catch {
        body = undefined;
      }
    } else if (err.body && typeof err.body === 'object') {
      body = err.body as { message?: string };
    }
    if (body?.message) reason = body.message;
    // The client's messages can include request headers; keep only the reason.
    reason = redactSecrets(reason.split('\n')[0].slice(0, 300), this.#secrets);
    const message = `Kubernetes cluster '${cluster}' could not list Helm releases: ${reason}`;
    return new ServiceUnavailableError(message);
  }
}
