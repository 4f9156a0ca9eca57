import {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ChangeRequest,
  EntityGitOpsOverview,
  EntityGitOpsState,
  EnvironmentVerification,
  ImageDigests,
} from '@internal/plugin-gitops-common';
import {
  OPEN_FOR_DECISION,
  awaitingDecisionOf,
} from '../changes/ChangeQueries';
import { toApiChange } from '../changes/toApi';
import { matchesRefs } from '../policy';
import type { ChangeStore, StoredChange } from '../store/ChangeStore';
import { ViewStamps } from './ViewStamps';

/** Where the overview's parts come from (the same services as the single routes). @internal */
export interface OverviewSources {
  /** What runs where: `GitOpsStateService.getEnvironments`. */
  state: { getEnvironments(entity: Entity): Promise<EntityGitOpsState> };
  changes: Pick<ChangeStore, 'listChanges'>;
  /** The changes whose entity the caller may see: `EntityAccess.visible`. */
  visible(
    changes: StoredChange[],
    credentials: BackstageCredentials,
  ): Promise<StoredChange[]>;
  /** `VerificationService.view` (absent: no verification part). */
  verification?: (
    entity: Entity,
    environment: string,
    claims: string[],
    state: EntityGitOpsState,
  ) => Promise<EnvironmentVerification>;
  /** `ImageService.digests` (absent: no digests part). */
  digests?: (
    entity: Entity,
    environment: string,
    state: EntityGitOpsState,
  ) => Promise<ImageDigests>;
}

/** Who asks: the credentials the entity was read with, and the user's refs (empty for a service). @internal */
export interface OverviewCaller {
  credentials: BackstageCredentials;
  userEntityRef: string;
  claims: string[];
}

/** The user-independent part of one entity's overview, as cached. */
interface EntityPart {
  /** Unique per build (a kept part is the same object on every hit). */
  id: number;
  state: EntityGitOpsState;
  changes: ChangeRequest[];
  verification?: Record<string, EnvironmentVerification>;
  digests?: Record<string, ImageDigests>;
  partErrors: Record<string, string>;
}

interface Entry<T> {
  stamp: number;
  builtAt: number;
  value: Promise<T>;
}

/** Cache figures (`GET /mirror/status`-like diagnostics, the benchmark). @internal */
export interface OverviewCacheStats {
  hits: number;
  misses: number;
  entries: number;
}

const DEFAULT_MAX_ENTRIES = 5_000;

/**
 * The GitOps tab's overview (`GET …/overview`): state, the entity's change
 * requests, the caller's pending approvals, verification and image digests
 * per environment, in one answer built from the same services as the single
 * routes.
 *
 * The part that is the same for every caller who can see the entity (all
 * but `pendingForMe` and `canSignOff`) is kept per entity while nothing it
 * is made of changed — its `ViewStamps` version is the one it was built at —
 * and for at most `ttlMs` (for what moves with time alone: sync windows
 * opening, soak times ending, a tag pushed again in the registry). It is kept
 * only when every environment was read from a live mirror and every part
 * could be read; otherwise each request builds it again. The awaiting-approval
 * changes of all entities are kept the same way (the "changes" version).
 * Concurrent requests for the same entity share one build. `ttlMs` 0 keeps
 * nothing (every request reads everything, as the single routes do).
 *
 * Visibility is never cached: the caller's entity was read from the catalog
 * with the caller's credentials before (`createOverviewRouter`), so the
 * entity's changes are visible to them; pending approvals of other entities
 * are filtered by `visible` with the caller's credentials on every request.
 *
 * @internal
 */
export class OverviewService {
  readonly #sources: OverviewSources;
  readonly #stamps: ViewStamps;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #logger?: LoggerService;
  readonly #entities = new Map<string, Entry<EntityPart>>();
  #pending?: Entry<StoredChange[]>;
  #hits = 0;
  #misses = 0;
  #builds = 0;

  constructor(options: {
    sources: OverviewSources;
    stamps: ViewStamps;
    ttlMs: number;
    maxEntries?: number;
    now?: () => number;
    logger?: LoggerService;
  }) {
    this.#sources = options.sources;
    this.#stamps = options.stamps;
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger;
  }

  get stats(): OverviewCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      entries: this.#entities.size,
    };
  }

  /** The overview of an entity the caller has read with its own credentials. */
  async get(
    entity: Entity,
    caller: OverviewCaller,
  ): Promise<EntityGitOpsOverview> {
    return (await this.describe(entity, caller)).build();
  }

  /**
   * The overview as `build` (made only when asked for) and, when the entity
   * part is one that is kept, `variant`: a key equal for two answers exactly
   * when their bodies are equal (the kept part, the caller's pending ids and
   * sign-off groups), under which the router keeps the serialized answer.
   */
  async describe(
    entity: Entity,
    caller: OverviewCaller,
  ): Promise<{ variant?: string; build: () => EntityGitOpsOverview }> {
    const [part, pending] = await Promise.all([
      this.#entityPart(entity),
      this.#pendingFor(caller).then(
        ids => ({ ids }),
        (e: Error) => ({ error: e.message }),
      ),
    ]);
    const signOff: Record<string, boolean> = {};
    for (const [env, v] of Object.entries(part.verification ?? {})) {
      signOff[env] = Boolean(
        v.signOff?.groups && matchesRefs(caller.claims, v.signOff.groups),
      );
    }
    const build = (): EntityGitOpsOverview => {
      const partErrors = { ...part.partErrors };
      if ('error' in pending) partErrors.pendingForMe = pending.error;
      const overview: EntityGitOpsOverview = {
        state: part.state,
        changes: part.changes,
        pendingForMe: 'ids' in pending ? pending.ids : [],
      };
      if (part.verification) {
        overview.verification = Object.fromEntries(
          Object.entries(part.verification).map(([env, v]) => [
            env,
            { ...v, canSignOff: signOff[env] },
          ]),
        );
      }
      if (part.digests) overview.digests = part.digests;
      if (Object.keys(partErrors).length) overview.partErrors = partErrors;
      return overview;
    };
    const variant =
      this.#ttlMs > 0 && cacheable(part) && 'ids' in pending
        ? `${part.id}|${pending.ids.join(',')}|${Object.entries(signOff)
            .filter(([, yes]) => yes)
            .map(([env]) => env)
            .join(',')}`
        : undefined;
    return { variant, build };
  }

  #fresh<T>(entry: Entry<T> | undefined, stamp: number): boolean {
    return (
      !!entry &&
      entry.stamp === stamp &&
      this.#now() - entry.builtAt < this.#ttlMs
    );
  }

  async #entityPart(entity: Entity): Promise<EntityPart> {
    const key = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    if (this.#ttlMs <= 0) return this.#buildEntityPart(entity);
    // the version before the reads: an event during them leaves the entry stale
    const stamp = this.#stamps.entity(key);
    const cached = this.#entities.get(key);
    if (cached && this.#fresh(cached, stamp)) {
      this.#hits += 1;
      // most recently used last (the oldest is dropped first)
      this.#entities.delete(key);
      this.#entities.set(key, cached);
      return cached.value;
    }
    this.#misses += 1;
    const value = this.#buildEntityPart(entity);
    const entry: Entry<EntityPart> = { stamp, builtAt: this.#now(), value };
    this.#entities.delete(key);
    this.#entities.set(key, entry);
    if (this.#entities.size > this.#maxEntries) {
      this.#entities.delete(this.#entities.keys().next().value!);
    }
    const forget = () => {
      if (this.#entities.get(key) === entry) this.#entities.delete(key);
    };
    value.then(part => {
      if (!cacheable(part)) forget();
    }, forget);
    return value;
  }

  async #buildEntityPart(entity: Entity): Promise<EntityPart> {
    const ref = stringifyEntityRef(entity);
    const partErrors: Record<string, string> = {};
    const [state, changes] = await Promise.all([
      this.#sources.state.getEnvironments(entity),
      this.#sources.changes.listChanges({ entityRef: ref }).then(
        items => items.map(toApiChange),
        (e: Error) => {
          partErrors.changes = e.message;
          return [] as ChangeRequest[];
        },
      ),
    ]);
    const envs = state.environments.map(e => e.name);
    const perEnvironment = async <T>(
      part: 'verification' | 'digests',
      read: (env: string) => Promise<T>,
    ): Promise<Record<string, T>> => {
      const out: Record<string, T> = {};
      await Promise.all(
        envs.map(env =>
          read(env).then(
            v => {
              out[env] = v;
            },
            (e: Error) => {
              partErrors[`${part}.${env}`] = e.message;
              this.#logger?.debug(`overview ${part} of ${ref} ${env}: ${e}`);
            },
          ),
        ),
      );
      return out;
    };
    const { verification, digests } = this.#sources;
    const [verifications, digestMaps] = await Promise.all([
      verification
        ? perEnvironment('verification', env =>
            verification(entity, env, [], state),
          )
        : undefined,
      digests
        ? perEnvironment('digests', env => digests(entity, env, state))
        : undefined,
    ]);
    this.#builds += 1;
    return {
      id: this.#builds,
      state,
      changes,
      ...(verifications ? { verification: verifications } : {}),
      ...(digestMaps ? { digests: digestMaps } : {}),
      partErrors,
    };
  }

  async #pendingFor(caller: OverviewCaller): Promise<string[]> {
    const open = await this.#openForDecision();
    const mine = awaitingDecisionOf(open, caller, this.#now());
    if (!mine.length) return [];
    const visible = await this.#sources.visible(mine, caller.credentials);
    return visible.map(c => c.id);
  }

  #openForDecision(): Promise<StoredChange[]> {
    const read = () => this.#sources.changes.listChanges(OPEN_FOR_DECISION);
    if (this.#ttlMs <= 0) return read();
    const stamp = this.#stamps.changes();
    if (this.#fresh(this.#pending, stamp)) return this.#pending!.value;
    const entry: Entry<StoredChange[]> = {
      stamp,
      builtAt: this.#now(),
      value: read(),
    };
    this.#pending = entry;
    entry.value.catch(() => {
      if (this.#pending === entry) this.#pending = undefined;
    });
    return entry.value;
  }
}

/** Whether a built part may be served again: every environment from a live mirror, every part read. */
function cacheable(part: EntityPart): boolean {
  return (
    Object.keys(part.partErrors).length === 0 &&
    part.state.environments.length > 0 &&
    part.state.environments.every(
      e => e.freshness?.source === 'mirror' && !e.freshness.stale,
    )
  );
}
