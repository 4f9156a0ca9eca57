/**
 * The emulated Argo CD application controller + API server, wired from its
 * parts (one folder each):
 * - state/: the application store (state by name, resourceVersion, watch feed)
 * - projects/: AppProjects and their sync windows
 * - render/: desired state rendered from the GitOps repository
 * - live/: the emulated cluster (live objects, health) and how it looks through the API
 * - reconcile/: comparison per app and the controller loop (auto-sync, self-heal)
 * - operations/: sync / rollback / terminate requests and running them
 * - views/: the Application as returned, list, resource tree, managed resources, manifests
 * - apps/: create, load, update, patch, delete
 * This class only wires them and persists their state; the routes call it.
 */
import type { GitopsRepo } from '../git/GitopsRepo';
import { resourceKey } from '../logic/compare';
import type { Application } from '../logic/types';
import { AppLoader, SeededDeployment } from './apps/AppLoader';
import { AppWriter } from './apps/AppWriter';
import { LiveCluster } from './live/LiveCluster';
import { clone } from './live/liveViews';
import { OperationRequests } from './operations/OperationRequests';
import { OperationRunner } from './operations/OperationRunner';
import { ProjectStore } from './projects/ProjectStore';
import { Comparer } from './reconcile/Comparer';
import { ReconcileLoop } from './reconcile/ReconcileLoop';
import { Renderer } from './render/Renderer';
import { AppStore } from './state/AppStore';
import type {
  AppProject,
  AppState,
  ControllerOptions,
  ControllerState,
} from './state/types';
import { AppQueries } from './views/AppQueries';
import { AppViews } from './views/AppViews';

export type {
  AppProject,
  Clock,
  ControllerOptions,
  ControllerState,
  Scope,
  SyncRequest,
} from './state/types';
export { autoSyncEnabled } from './state/types';
export { normalizeStrategy } from './operations/OperationRequests';

/** @public */
export class Controller {
  readonly namespace: string;
  readonly repo: GitopsRepo;
  readonly store: AppStore;
  readonly projects: ProjectStore;
  readonly live: LiveCluster;
  readonly loop: ReconcileLoop;
  readonly operations: OperationRequests;
  readonly views: AppViews;
  readonly queries: AppQueries;
  readonly writer: AppWriter;
  readonly #renderer: Renderer;
  readonly #comparer: Comparer;
  readonly #runner: OperationRunner;
  readonly #loader: AppLoader;

  constructor(o: ControllerOptions) {
    const { repo, clock } = o;
    this.namespace = o.namespace ?? 'argocd';
    this.repo = repo;
    const store = new AppStore({
      namespace: this.namespace,
      onChange: o.onChange,
    });
    const projects = new ProjectStore({
      namespace: this.namespace,
      clock,
      nextRv: () => store.nextRv(),
      onChange: () => store.changed(),
    });
    const renderer = new Renderer(repo);
    const live = new LiveCluster({
      store,
      clock,
      isBrokenTag: o.isBrokenTag,
      healthProgressingMs: o.healthProgressingMs,
    });
    const comparer = new Comparer({ store, repo, renderer, clock });
    const runner = new OperationRunner({
      store,
      repo,
      renderer,
      live,
      comparer,
      projects,
      clock,
      operationDurationMs: o.operationDurationMs,
      slowOperationsMs: o.slowOperationsMs,
      isSyncFailTag: o.isSyncFailTag,
    });
    const views = new AppViews({
      store,
      clock,
      persistResourceHealth: o.persistResourceHealth,
    });
    const loader = new AppLoader({
      store,
      renderer,
      live,
      comparer,
      views,
      clock,
    });
    this.store = store;
    this.projects = projects;
    this.live = live;
    this.views = views;
    this.#renderer = renderer;
    this.#comparer = comparer;
    this.#runner = runner;
    this.#loader = loader;
    this.loop = new ReconcileLoop({ store, comparer, runner, projects });
    this.operations = new OperationRequests({
      store,
      runner,
      projects,
      repo,
      views,
    });
    this.queries = new AppQueries({
      store,
      repo,
      renderer,
      projects,
      clock,
    });
    this.writer = new AppWriter({
      store,
      projects,
      comparer,
      views,
      loader,
      clock,
      deleteDelayMs: o.operationDurationMs,
    });
  }

  // ---------------------------------------------------------------- persistence

  /** Serialisable snapshot of projects and applications (live state, history, operations). */
  exportState(): ControllerState {
    return {
      version: 1,
      rv: this.store.rv,
      projects: this.projects.list(),
      apps: this.store.all().map(st => ({
        app: clone(st.app),
        history: clone(st.history),
        operationState: clone(st.operationState),
        live: clone([...st.live.values()]),
        liveMeta: clone(st.liveMeta),
        imported: clone(st.imported),
        lastAutoSync: clone(st.lastAutoSync),
        healthTransition: st.healthTransition,
        specChangedAt: st.specChangedAt,
      })),
    };
  }

  /** Restores a snapshot; resumes running operations and health transitions. */
  async importState(state: ControllerState): Promise<void> {
    if (state.version !== 1)
      throw new Error(`unsupported emulator state version ${state.version}`);
    this.store.raiseRv(state.rv);
    for (const p of state.projects) this.projects.restore(p);
    for (const a of state.apps) {
      const st: AppState = {
        app: clone(a.app),
        history: clone(a.history),
        operationState: clone(a.operationState),
        live: new Map(a.live.map(o => [resourceKey(o), clone(o)])),
        liveMeta: clone(a.liveMeta),
        imported: clone(a.imported),
        lastAutoSync: clone(a.lastAutoSync),
        healthTransition: a.healthTransition,
        specChangedAt: a.specChangedAt,
      };
      this.store.set(st);
      if (st.imported) continue;
      if (st.liveMeta.phase === 'Progressing') this.live.scheduleHealth(st);
      if (st.app.operation && !st.operationState) this.#runner.begin(st);
      else if (st.operationState?.phase === 'Terminating')
        this.#runner.finish(st, 'Failed', 'Operation terminated');
      else if (st.operationState?.phase === 'Running') this.#runner.run(st);
      await this.#comparer.reconcile(st.app.metadata.name);
    }
  }

  // ---------------------------------------------------------------- delegation used by startEmulator and routes

  upsertProject(p: AppProject): AppProject {
    return this.projects.upsert(p);
  }

  getProject(name: string): AppProject | undefined {
    return this.projects.get(name);
  }

  has(name: string): boolean {
    return this.store.has(name);
  }

  /** Adds an application (see {@link AppLoader.add}). */
  addApplication(
    input: Application,
    opts: {
      deployed?: SeededDeployment[];
      imported?: boolean;
      memo?: Map<string, Promise<string>>;
    } = {},
  ): Promise<Application> {
    return this.#loader.add(input, opts);
  }

  reconcileAll(): Promise<void> {
    return this.loop.reconcileAll();
  }

  clearRenderCache(): void {
    this.#renderer.clear();
  }

  async stop(): Promise<void> {
    this.store.stop();
    await this.loop.running?.catch(() => undefined);
    for (const st of this.store.all()) {
      if (st.opTimer) clearTimeout(st.opTimer);
      if (st.healthTimer) clearTimeout(st.healthTimer);
    }
  }
}
