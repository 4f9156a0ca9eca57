import { LoggerService } from '@backstage/backend-plugin-api';
import { STATUS_CODES } from 'node:http';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { ReadCache } from '../cache/ReadCache';
import { redactSecrets } from '../argocd/errors';
import { checkHelmReleaseName, checkNamespace } from '../pipeline/names';
import { HelmClusterConfig } from './config';
import {
  HelmRelease,
  HelmReleaseDecodeError,
  decodeHelmRelease,
} from './decodeRelease';

/** A stored revision whose Secret could not be decoded. @public */
export interface HelmRevisionError {
  /** From the Secret's `version` label (or its name), when readable. */
  revision?: number;
  /** The Secret's `status` label, when present. */
  status?: string;
  secret: string;
  /** Why it could not be decoded; quotes nothing of the Secret's data. */
  reason: string;
}

/** A release's history: decoded revisions newest first, and those that could not be decoded. @public */
export interface HelmHistory {
  releases: HelmRelease[];
  errors: HelmRevisionError[];
}

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

  /**
   * The plugin creates its reader (see `helmReleaseReaderServiceRef`); other
   * plugins receive it from the service ref.
   *
   * @internal
   */
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

  /**
   * Every stored revision of a release, newest first; revisions whose Secret
   * cannot be decoded are listed in `errors`, not dropped. The namespace and
   * name are validated before any call (a `..` would otherwise reach the
   * Kubernetes API as a path segment).
   */
  async getHistory(
    cluster: string,
    namespace: string,
    release: string,
  ): Promise<HelmHistory> {
    const entry = this.#clusters.get(cluster);
    if (!entry) {
      throw new NotFoundError(`Helm cluster '${cluster}' is not configured`);
    }
    const problem = checkNamespace(namespace) ?? checkHelmReleaseName(release);
    if (problem) {
      throw new InputError(`Helm release ${namespace}/${release}: ${problem}`);
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
          const errors: HelmRevisionError[] = [];
          for (const item of Array.isArray(list?.items) ? list.items : []) {
            const secret = String(item?.metadata?.name ?? '(unnamed)');
            const labels = item?.metadata?.labels ?? {};
            try {
              const data = item?.data?.release;
              if (typeof data !== 'string' || !data) {
                throw new HelmReleaseDecodeError('it has no release data');
              }
              releases.push(decodeHelmRelease(data));
            } catch (e) {
              const reason =
                e instanceof HelmReleaseDecodeError
                  ? e.message
                  : 'it could not be decoded';
              const revision = Number(
                labels.version ?? /\.v(\d+)$/.exec(secret)?.[1],
              );
              errors.push({
                revision: Number.isInteger(revision) ? revision : undefined,
                status: labels.status || undefined,
                secret,
                reason,
              });
              this.#logger?.warn(
                `Could not decode Helm release secret ${namespace}/${secret}: ${reason}`,
              );
            }
          }
          releases.sort((a, b) => b.revision - a.revision);
          errors.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
          return { releases, errors };
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
    const err = e as { code?: unknown; body?: unknown; message?: string };
    const status = typeof err.code === 'number' ? err.code : undefined;
    let reason: string;
    if (status !== undefined) {
      reason = `answered ${status} ${STATUS_CODES[status] ?? ''}`.trim();
      // A Kubernetes Status object says why (e.g. RBAC); HTML or text bodies are not repeated.
      const message = statusMessage(err.body);
      if (message && status < 500) {
        reason += `: ${message.split('\n')[0].slice(0, 300)}`;
      }
    } else {
      // Network errors: the client's messages can include request headers; keep the first line.
      reason = `is unreachable: ${String(err.message ?? e)
        .split('\n')[0]
        .slice(0, 200)}`;
    }
    this.#logger?.debug(
      redactSecrets(
        `Kubernetes cluster '${cluster}' error: ${String(
          err.message ?? e,
        ).slice(0, 2000)}`,
        this.#secrets,
      ),
    );
    return new ServiceUnavailableError(
      redactSecrets(
        `Kubernetes cluster '${cluster}' ${reason} (listing Helm releases)`,
        this.#secrets,
      ),
    );
  }
}

function statusMessage(body: unknown): string | undefined {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return undefined;
    }
  }
  if (b && typeof b === 'object' && (b as any).kind === 'Status') {
    const m = (b as { message?: unknown }).message;
    return typeof m === 'string' && m ? m : undefined;
  }
  return undefined;
}
