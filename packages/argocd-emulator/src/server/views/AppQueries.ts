/**
 * Read endpoints below an application: managed resources, resource tree,
 * manifests, revision metadata and the app's sync windows.
 */
import type { GitopsRepo } from '../../git/GitopsRepo';
import { UnresolvableRevisionError } from '../../git/GitopsRepo';
import { ArgoError, GrpcCode } from '../../logic/errors';
import type { KubeObject } from '../../logic/types';
import { activeWindows, canSync, SyncWindow } from '../../logic/windows';
import { managedResourceItems } from '../live/liveViews';
import { buildResourceTree } from '../live/resourceTree';
import type { ProjectStore } from '../projects/ProjectStore';
import type { Renderer } from '../render/Renderer';
import { appSources, isMultiSource } from '../render/sources';
import type { AppStore } from '../state/AppStore';
import { Clock, DEFAULT_SERVER, Scope } from '../state/types';

/** @public */
export class AppQueries {
  readonly #store: AppStore;
  readonly #repo: GitopsRepo;
  readonly #renderer: Renderer;
  readonly #projects: ProjectStore;
  readonly #clock: Clock;

  constructor(opts: {
    store: AppStore;
    repo: GitopsRepo;
    renderer: Renderer;
    projects: ProjectStore;
    clock: Clock;
  }) {
    this.#store = opts.store;
    this.#repo = opts.repo;
    this.#renderer = opts.renderer;
    this.#projects = opts.projects;
    this.#clock = opts.clock;
  }

  managedResources(
    name: string,
    scope: Scope,
    filter: Record<string, string | undefined>,
  ) {
    const st = this.#store.lookup(name, scope);
    return managedResourceItems(
      st.comparison?.target ?? [],
      [...st.live.values()],
      st.liveMeta,
      filter,
    );
  }

  resourceTree(name: string, scope: Scope) {
    const st = this.#store.lookup(name, scope);
    return buildResourceTree([...st.live.values()], st.liveMeta);
  }

  async manifests(name: string, scope: Scope, revision?: string) {
    const st = this.#store.lookup(name, scope);
    const sources = appSources(st.app);
    const source = sources.find(s => s.path) ?? sources[0];
    let sha: string;
    try {
      sha = await this.#repo.resolve(revision || source.targetRevision);
    } catch (e) {
      if (e instanceof UnresolvableRevisionError)
        throw new ArgoError(
          GrpcCode.Unknown,
          `unable to resolve '${e.revision}' to a commit SHA`,
        );
      throw e;
    }
    let target: KubeObject[];
    try {
      // every source at that revision (all of them live in the GitOps repository)
      target = isMultiSource(st.app)
        ? await this.#renderer.renderSources(
            sources.map(() => sha),
            sources,
            st.app,
          )
        : await this.#renderer.render(sha, source, st.app);
    } catch (e) {
      throw new ArgoError(
        GrpcCode.Unknown,
        `failed to generate manifests: ${(e as Error).message}`,
      );
    }
    return {
      manifests: target.map(t => JSON.stringify(t)),
      namespace: st.app.spec.destination.namespace ?? '',
      server: st.app.spec.destination.server ?? DEFAULT_SERVER,
      revision: sha,
      sourceType: 'Helm',
    };
  }

  async revisionMetadata(
    name: string,
    scope: Scope,
    revision: string,
    sourceIndex?: number,
  ) {
    const st = this.#store.lookup(name, scope);
    if (sourceIndex !== undefined) {
      // getAppSourceBySourceIndexAndVersionId (server/application/application.go v3.5.1)
      const n = appSources(st.app).length;
      if (!Number.isInteger(sourceIndex) || sourceIndex < 0 || sourceIndex >= n)
        throw new ArgoError(
          GrpcCode.Unknown,
          `error getting app source by source index and version ID: source index ${sourceIndex} not found because ${
            n === 1 ? 'there is only 1 source' : `there are only ${n} sources`
          }`,
        );
    }
    try {
      const m = await this.#repo.metadata(revision);
      return {
        author: m.author,
        date: m.date,
        message: m.message,
        ...(m.tags.length ? { tags: m.tags } : {}),
      };
    } catch (e) {
      if (e instanceof UnresolvableRevisionError) {
        throw new ArgoError(
          GrpcCode.Unknown,
          `unable to resolve '${revision}' to a commit SHA`,
        );
      }
      throw e;
    }
  }

  syncWindows(name: string, scope: Scope) {
    const st = this.#store.lookup(name, scope);
    const windows = this.#projects.windowsFor(st.app);
    const strip = (w: SyncWindow) => ({
      kind: w.kind,
      schedule: w.schedule,
      duration: w.duration,
      manualSync: !!w.manualSync,
    });
    const now = this.#clock.now();
    let active: SyncWindow[] = [];
    let allowed: boolean;
    try {
      active = activeWindows(windows, now);
      allowed = canSync(windows, { manual: true, now });
    } catch (e) {
      throw new ArgoError(
        GrpcCode.Unknown,
        `invalid sync windows: ${(e as Error).message}`,
      );
    }
    return {
      ...(windows.length ? { assignedWindows: windows.map(strip) } : {}),
      ...(active.length ? { activeWindows: active.map(strip) } : {}),
      canSync: allowed,
    };
  }
}
