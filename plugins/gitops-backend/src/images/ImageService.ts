import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGitOpsState,
  ImageDigests,
  ImageTag,
  ImageTagList,
} from '@internal/plugin-gitops-common';
import pLimit from 'p-limit';
import { PipelineSet } from '../pipeline/Pipeline';
import { environmentPolicy, pipelinePolicy } from '../policy/gatherInputs';
import { ImageFacts } from '../policy/policyModel';
import { EnvironmentStateReader } from '../policy/ports';
import { PolicySet } from '../policy/types';
import { versionChecks } from '../policy/versionChecks';
import { compareVersionTags, parseVersionTag } from '../policy/versions';
import { RegistryClient } from '../registry/RegistryClient';
import { resolveImageRepository } from './imageRepository';

/** Options of {@link ImageService}. @internal */
export interface ImageServiceOptions {
  registry: Pick<RegistryClient, 'manifest' | 'tags'> &
    Partial<Pick<RegistryClient, 'resolve'>>;
  state: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  pipelines: PipelineSet;
  policies: PolicySet;
  logger: LoggerService;
  /** Versions whose sign-off stands as verified in an environment (the dialog's `verified`). */
  verifiedVersions?: (
    entity: Entity,
    environment: string,
  ) => Promise<Set<string>>;
  /** How long a tag's digest is reused (ms). Default 30 s. */
  digestTtlMs?: number;
  now?: () => number;
}

/** Most tags the dialog is offered (newest first). */
const MAX_TAGS = 30;
/** Registry calls in flight per request. */
const PARALLEL = 4;

/**
 * What the registry says about an entity's application image: the digests
 * the policy's image checks need (the `getImageFacts` port), the tags the
 * promote dialog offers, and the digests of what an environment runs and
 * ran (cards, history). A tag's digest is cached briefly; registry trouble
 * is answered as `unavailable` with the reason, never thrown.
 *
 * @internal
 */
export class ImageService {
  readonly #o: ImageServiceOptions;
  readonly #cache = new Map<string, { digest: string | null; at: number }>();

  constructor(options: ImageServiceOptions) {
    this.#o = options;
  }

  #now() {
    return (this.#o.now ?? Date.now)();
  }

  async #repository(
    entity: Entity,
    environment: string,
    state?: EntityGitOpsState,
  ) {
    const s = state ?? (await this.#o.state.getEnvironments(entity));
    return {
      state: s,
      repo: resolveImageRepository(this.#o.pipelines, entity, s, environment),
    };
  }

  /** Digests of these tags (`null`: no such tag); throws registry errors. */
  async #digests(repository: string, tags: string[]) {
    const limit = pLimit(PARALLEL);
    const ttl = this.#o.digestTtlMs ?? 30_000;
    const out: Record<string, string | null> = {};
    await Promise.all(
      tags.map(tag =>
        limit(async () => {
          const key = `${repository}:${tag}`;
          const hit = this.#cache.get(key);
          if (hit && this.#now() - hit.at < ttl) {
            out[tag] = hit.digest;
            return;
          }
          const m = await this.#o.registry.manifest(repository, tag);
          out[tag] = m?.digest ?? null;
          this.#cache.set(key, { digest: out[tag], at: this.#now() });
        }),
      ),
    );
    return out;
  }

  /** The policy's port: digests of the tags, or `unavailable` with the reason. */
  async imageFacts(
    entity: Entity,
    environment: string,
    tags: string[],
  ): Promise<ImageFacts> {
    const { repo } = await this.#repository(entity, environment);
    if (!repo) {
      return {
        unavailable: `the image repository of ${environment} is not known (set the pipeline's image or the gitops/image annotation)`,
        digests: {},
      };
    }
    try {
      return {
        repository: repo.repository,
        digests: await this.#digests(repo.repository, tags),
      };
    } catch (e) {
      return {
        repository: repo.repository,
        unavailable: (e as Error).message,
        digests: {},
      };
    }
  }

  /** Versions an environment runs and ran: now, then its history. */
  async #versionsOf(entity: Entity, state: EntityGitOpsState, env: string) {
    const versions: string[] = [];
    const now = state.environments.find(e => e.name === env)?.version;
    if (now) versions.push(now);
    try {
      for (const h of (await this.#o.state.getHistory(entity, env)).items) {
        // Argo CD rows: a Helm release merged into the timeline is another workload
        if (h.source === 'argocd' && h.version && !h.degradedAt)
          versions.push(h.version);
      }
    } catch (e) {
      this.#o.logger.warn(`history of ${env} could not be read: ${e}`);
    }
    return [...new Set(versions)];
  }

  /**
   * Digests of what the environment runs and ran (cards, history rows);
   * `state` when the caller has read it already (the tab's overview). Where
   * no registry is configured for the repository, nothing else is read.
   */
  async digests(
    entity: Entity,
    environment: string,
    current?: EntityGitOpsState,
  ): Promise<ImageDigests> {
    const { state, repo } = await this.#repository(
      entity,
      environment,
      current,
    );
    if (!repo) {
      return { digests: {}, unavailable: 'the image repository is not known' };
    }
    if (
      this.#o.registry.resolve &&
      !this.#o.registry.resolve(repo.repository)
    ) {
      return {
        repository: repo.repository,
        digests: {},
        unavailable: `no registry is configured for ${repo.repository} (gitops.registries)`,
      };
    }
    const versions = await this.#versionsOf(entity, state, environment);
    try {
      return {
        repository: repo.repository,
        digests: await this.#digests(repo.repository, versions.slice(0, 20)),
      };
    } catch (e) {
      return {
        repository: repo.repository,
        digests: {},
        unavailable: (e as Error).message,
      };
    }
  }

  /**
   * The registry's tags the environment's policy accepts (forbidden tags,
   * semver, tag pattern), newest first, with digests and whether each ran
   * in the previous environment (itself or a tag with the same digest).
   */
  async tags(entity: Entity, environment: string): Promise<ImageTagList> {
    const { state, repo } = await this.#repository(entity, environment);
    const env = environmentPolicy(
      pipelinePolicy(this.#o.policies, state.pipeline),
      environment,
    );
    const previousEnvironment = env.promotesFrom;
    if (!repo) {
      return {
        previousEnvironment,
        items: [],
        unavailable: 'the image repository is not known',
      };
    }
    try {
      const accepted = (await this.#o.registry.tags(repo.repository))
        .filter(t => versionChecks(env, t).every(c => c.status !== 'fail'))
        .sort(newestFirst)
        .slice(0, MAX_TAGS);
      const ran = previousEnvironment
        ? await this.#versionsOf(entity, state, previousEnvironment)
        : [];
      const digests = await this.#digests(repo.repository, [
        ...new Set([...accepted, ...ran]),
      ]);
      const verified =
        previousEnvironment && this.#o.verifiedVersions
          ? await this.#o
              .verifiedVersions(entity, previousEnvironment)
              .catch((e: unknown) => {
                this.#o.logger.warn(
                  `verifications of ${previousEnvironment} could not be read: ${e}`,
                );
                return undefined;
              })
          : undefined;
      const ranByDigest = new Map<string, string>();
      for (const v of [...ran].reverse()) {
        const d = digests[v];
        if (d) ranByDigest.set(d, v); // the newest (first) wins
      }
      const items: ImageTag[] = accepted.map(tag => {
        const digest = digests[tag] ?? undefined;
        let ranAs: string | undefined;
        if (ran.includes(tag)) ranAs = tag;
        else if (digest) ranAs = ranByDigest.get(digest);
        return {
          tag,
          ...(digest ? { digest } : {}),
          ranInPrevious: !!ranAs,
          ...(ranAs ? { ranAs } : {}),
          ...(verified ? { verified: verified.has(ranAs ?? tag) } : {}),
        };
      });
      return { repository: repo.repository, previousEnvironment, items };
    } catch (e) {
      return {
        repository: repo.repository,
        previousEnvironment,
        items: [],
        unavailable: (e as Error).message,
      };
    }
  }
}

/** Semver precedence, newest first; tags that are not semver after, by name. */
function newestFirst(a: string, b: string): number {
  const sa = parseVersionTag(a).ok;
  const sb = parseVersionTag(b).ok;
  if (sa && sb) return compareVersionTags(b, a);
  if (sa !== sb) return sa ? -1 : 1;
  return a.localeCompare(b);
}
