/**
 * The emulated Argo CD application controller + API server state: projects,
 * applications, the "cluster" (live objects), operations, history, health and
 * the auto-sync / self-heal reconcile loop. Desired state is read from real git.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ArgoError, argoErrors, GrpcCode } from '../logic/errors';
import { GitopsRepo, UnresolvableRevisionError } from '../git/GitopsRepo';
import {
  appSyncStatus,
  canonicalJson,
  compareResources,
  groupOf,
  imagesOf,
  normalizeLive,
  resourceKey,
  versionOf,
  worseHealth,
  HealthCode,
} from '../logic/compare';
import {
  ChartMeta,
  effectiveValues,
  RenderError,
  renderManifests,
} from '../logic/render';
import {
  appendHistory,
  findHistory,
  shouldRecordHistory,
} from '../logic/history';
import {
  canSync,
  matchingWindows,
  SyncWindow,
  activeWindows,
} from '../logic/windows';
import {
  matchesLabelSelector,
  parseLabelSelector,
  LabelSelectorError,
} from '../logic/labelSelector';
import {
  buildResourceTree,
  clone,
  HealthPhase,
  LiveMeta,
  managedResourceItems,
  resourceHealth,
  uidFor,
} from './liveViews';
import { planSync, tagOfImage } from '../logic/syncPlan';
import type {
  Application,
  ApplicationSource,
  KubeObject,
  Operation,
  OperationState,
  RevisionHistory,
} from '../logic/types';

/** Persisted controller state. @public */
export interface ControllerState {
  version: 1;
  rv: number;
  projects: AppProject[];
  apps: {
    app: Application;
    history: RevisionHistory[];
    operationState?: OperationState;
    live: KubeObject[];
    liveMeta: {
      revision?: string;
      source?: ApplicationSource;
      phase: 'Progressing' | 'Healthy' | 'Degraded';
      phaseSince: string;
      deployRevision: number;
    };
    imported?: Record<string, any>;
    lastAutoSync?: { revision: string; phase: string };
    healthTransition: string;
  }[];
}

/** Clock used for every timestamp and window evaluation. @public */
export interface Clock {
  now(): Date;
}

/** The project object (AppProject). @public */
export interface AppProject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    [k: string]: unknown;
  };
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: unknown[];
    syncWindows?: SyncWindow[];
    [k: string]: unknown;
  };
  status?: Record<string, unknown>;
}

interface Comparison {
  targetSha?: string;
  target?: KubeObject[];
  error?: string;
  reconciledAt: string;
}

interface AppState {
  app: Application; // metadata + spec + operation (status composed on read)
  history: RevisionHistory[];
  operationState?: OperationState;
  live: Map<string, KubeObject>;
  liveMeta: LiveMeta;
  comparison?: Comparison;
  /** Loaded verbatim (e.g. a recorded Application): status is kept as given. */
  imported?: Record<string, any>;
  opTimer?: NodeJS.Timeout;
  healthTimer?: NodeJS.Timeout;
  lastAutoSync?: { revision: string; phase: string };
  healthTransition: string;
  lastHealth?: string;
  /** Status as last composed, keyed by resourceVersion + reconciledAt (every change bumps resourceVersion). */
  statusCache?: { key: string; json: string };
}

/** Controller options. @public */
export interface ControllerOptions {
  repo: GitopsRepo;
  clock: Clock;
  operationDurationMs: number;
  healthProgressingMs: number;
  isBrokenTag: (tag: string) => boolean;
  isSyncFailTag: (tag: string) => boolean;
  slowOperationsMs: () => number;
  /** Called after every state change (used to persist state). */
  onChange?: () => void;
  namespace?: string;
}

/** Body of POST /sync (ApplicationSyncRequest). @public */
export interface SyncRequest {
  name?: string;
  revision?: string;
  dryRun?: boolean;
  prune?: boolean;
  strategy?: any;
  resources?: {
    group?: string;
    kind: string;
    name: string;
    namespace?: string;
  }[];
  syncOptions?: { items?: string[] };
  retryStrategy?: Record<string, unknown>;
  infos?: { name: string; value: string }[];
  manifests?: string[];
  appNamespace?: string;
  project?: string;
}

/** Lookup scope (query params appNamespace/project). @public */
export interface Scope {
  appNamespace?: string;
  project?: string | string[];
}

const DEFAULT_SERVER = 'https://kubernetes.default.svc';

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether an app's automated sync is on (3.1+: present and enabled !== false). */
export function autoSyncEnabled(app: Application): boolean {
  const a = app.spec.syncPolicy?.automated;
  return !!a && a.enabled !== false;
}

/** @public */
export class Controller {
  readonly namespace: string;
  readonly #o: ControllerOptions;
  readonly #projects = new Map<string, AppProject>();
  readonly #apps = new Map<string, AppState>();
  readonly #renderCache = new Map<string, KubeObject[]>();
  #rv = 1000;
  #stopped = false;
  #reconciling?: Promise<void>;

  constructor(opts: ControllerOptions) {
    this.#o = opts;
    this.namespace = opts.namespace ?? 'argocd';
  }

  get repo(): GitopsRepo {
    return this.#o.repo;
  }

  #now(): Date {
    return this.#o.clock.now();
  }

  #nextRv(): string {
    this.#rv += 1;
    return String(this.#rv);
  }

  #touch(st: AppState) {
    st.app.metadata.resourceVersion = this.#nextRv();
    this.#o.onChange?.();
    this.#emit(st.app.metadata.name, 'MODIFIED');
  }

  readonly #watchers = new Set<
    (name: string, type: 'ADDED' | 'MODIFIED' | 'DELETED') => void
  >();
  readonly #pendingEvents = new Map<string, 'ADDED' | 'MODIFIED' | 'DELETED'>();

  /** Subscribes to application changes (coalesced per tick); returns an unsubscribe function. */
  watch(
    fn: (name: string, type: 'ADDED' | 'MODIFIED' | 'DELETED') => void,
  ): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  #emit(name: string, type: 'ADDED' | 'MODIFIED' | 'DELETED') {
    if (this.#watchers.size === 0) return;
    const prev = this.#pendingEvents.get(name);
    if (prev === 'ADDED' && type === 'MODIFIED') return;
    if (this.#pendingEvents.size === 0) {
      setImmediate(() => {
        const events = [...this.#pendingEvents];
        this.#pendingEvents.clear();
        for (const [n, t] of events) for (const w of this.#watchers) w(n, t);
      });
    }
    this.#pendingEvents.set(name, type);
  }

  // ---------------------------------------------------------------- persistence

  /** Serialisable snapshot of projects and applications (live state, history, operations). */
  exportState(): ControllerState {
    return {
      version: 1,
      rv: this.#rv,
      projects: this.listProjects(),
      apps: [...this.#apps.values()].map(st => ({
        app: clone(st.app),
        history: clone(st.history),
        operationState: clone(st.operationState),
        live: clone([...st.live.values()]),
        liveMeta: clone(st.liveMeta),
        imported: clone(st.imported),
        lastAutoSync: clone(st.lastAutoSync),
        healthTransition: st.healthTransition,
      })),
    };
  }

  /** Restores a snapshot; resumes running operations and health transitions. */
  async importState(state: ControllerState): Promise<void> {
    if (state.version !== 1)
      throw new Error(`unsupported emulator state version ${state.version}`);
    this.#rv = Math.max(this.#rv, state.rv);
    for (const p of state.projects)
      this.#projects.set(p.metadata.name, clone(p));
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
      };
      this.#apps.set(st.app.metadata.name, st);
      if (st.imported) continue;
      if (st.liveMeta.phase === 'Progressing') this.#scheduleHealth(st);
      if (st.app.operation && !st.operationState) this.#beginOperation(st);
      else if (st.operationState?.phase === 'Terminating')
        this.#finishOperation(st, 'Failed', 'Operation terminated');
      else if (st.operationState?.phase === 'Running') this.#runOperation(st);
      await this.reconcile(st.app.metadata.name);
    }
  }

  // ---------------------------------------------------------------- projects

  upsertProject(p: AppProject): AppProject {
    const existing = this.#projects.get(p.metadata.name);
    const project: AppProject = {
      metadata: {
        ...p.metadata,
        namespace: this.namespace,
        uid:
          existing?.metadata.uid ??
          uidFor(`project/${p.metadata.name}/${this.#now().getTime()}`),
        creationTimestamp:
          existing?.metadata.creationTimestamp ?? iso(this.#now()),
        resourceVersion: this.#nextRv(),
      },
      spec: {
        sourceRepos: ['*'],
        destinations: [{ server: '*', namespace: '*' }],
        ...clone(p.spec),
      },
      status: p.status ?? {},
    };
    this.#projects.set(project.metadata.name, project);
    this.#o.onChange?.();
    return clone(project);
  }

  getProject(name: string): AppProject | undefined {
    const p = this.#projects.get(name);
    return p ? clone(p) : undefined;
  }

  listProjects(): AppProject[] {
    return [...this.#projects.values()]
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map(clone);
  }

  /** Currently active windows of a project (GET /projects/{name}/syncwindows). */
  projectActiveWindows(name: string): SyncWindow[] {
    const p = this.#projects.get(name);
    if (!p) throw argoErrors.projectNotFound(name);
    return clone(activeWindows(p.spec.syncWindows ?? [], this.#now()));
  }

  // ---------------------------------------------------------------- apps: lookup

  /**
   * Argo CD's getApplicationEnforceRBAC: without `project` an unknown app is a
   * 403 permission denied; with `project` it is a 404 not found.
   */
  #get(name: string, scope: Scope = {}): AppState {
    const projects = ([] as string[]).concat(scope.project ?? []);
    if (projects.length > 1) throw argoErrors.multipleProjects();
    const st = this.#apps.get(name);
    const nsOk = !scope.appNamespace || scope.appNamespace === this.namespace;
    if (projects.length === 0) {
      if (!st || !nsOk) throw argoErrors.permissionDenied();
      return st;
    }
    if (!st || !nsOk || st.app.spec.project !== projects[0])
      throw argoErrors.appNotFound(name);
    return st;
  }

  /** Project of an application (undefined when it does not exist). */
  projectOf(name: string): string | undefined {
    return this.#apps.get(name)?.app.spec.project;
  }

  has(name: string): boolean {
    return this.#apps.has(name);
  }

  names(): string[] {
    return [...this.#apps.keys()].sort();
  }

  // ---------------------------------------------------------------- apps: create / load

  /**
   * Adds an application. `deployed` seeds live state and history (commits
   * already deployed, oldest first); `imported` keeps the given status verbatim.
   */
  async addApplication(
    input: Application,
    opts: {
      deployed?: {
        sha: string;
        date: string;
        username?: string;
        automated?: boolean;
      }[];
      imported?: boolean;
      memo?: Map<string, Promise<string>>;
    } = {},
  ): Promise<Application> {
    const now = this.#now();
    const app: Application = {
      metadata: {
        ...clone(input.metadata),
        namespace: input.metadata.namespace ?? this.namespace,
        uid:
          input.metadata.uid ??
          uidFor(
            `app/${input.metadata.name}/${now.getTime()}/${Math.random()}`,
          ),
        generation: input.metadata.generation ?? 1,
        creationTimestamp: input.metadata.creationTimestamp ?? iso(now),
      },
      spec: clone(input.spec),
      ...(input.operation ? { operation: clone(input.operation) } : {}),
    };
    const st: AppState = {
      app,
      history: [],
      live: new Map(),
      liveMeta: { phase: 'Healthy', phaseSince: iso(now), deployRevision: 0 },
      healthTransition: iso(now),
    };
    if (opts.imported) {
      st.imported = clone(input.status ?? {});
      st.history = clone(input.status?.history ?? []);
      st.operationState = clone(input.status?.operationState);
      if (input.metadata.resourceVersion)
        app.metadata.resourceVersion = input.metadata.resourceVersion;
      else this.#touch(st);
      this.#apps.set(app.metadata.name, st);
      return this.view(app.metadata.name);
    }
    this.#touch(st);
    this.#apps.set(app.metadata.name, st);
    this.#emit(app.metadata.name, 'ADDED');
    for (const d of opts.deployed ?? []) {
      const source = clone(app.spec.source!);
      const target = await this.#render(d.sha, source, app);
      this.#applyToLive(st, target, d.sha, source, new Date(d.date), true);
      st.history = appendHistory(
        st.history,
        {
          revision: d.sha,
          deployStartedAt: iso(new Date(new Date(d.date).getTime() + 60_000)),
          deployedAt: iso(new Date(new Date(d.date).getTime() + 90_000)),
          source,
          initiatedBy: d.automated
            ? { automated: true }
            : { username: d.username ?? 'admin' },
        },
        app.spec.revisionHistoryLimit,
      );
    }
    if (opts.deployed?.length) {
      // Seeded deployments finished long ago: settle health now.
      const last = opts.deployed[opts.deployed.length - 1];
      const h = st.history[st.history.length - 1];
      const target = await this.#render(last.sha, app.spec.source!, app);
      st.operationState = {
        operation: {
          sync: {
            revision: last.sha,
            ...(app.spec.syncPolicy?.syncOptions
              ? { syncOptions: clone(app.spec.syncPolicy.syncOptions) }
              : {}),
          },
          initiatedBy: clone(h.initiatedBy ?? {}),
          ...(app.spec.syncPolicy?.retry
            ? { retry: clone(app.spec.syncPolicy.retry) }
            : {}),
        },
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: h.deployStartedAt ?? h.deployedAt,
        finishedAt: h.deployedAt,
        syncResult: {
          resources: target.map(t => ({
            group: groupOf(t.apiVersion),
            version: versionOf(t.apiVersion),
            kind: t.kind,
            namespace: t.metadata.namespace ?? '',
            name: t.metadata.name,
            status: 'Synced',
            message: `${t.kind.toLowerCase()}${
              groupOf(t.apiVersion) ? `.${groupOf(t.apiVersion)}` : ''
            }/${t.metadata.name} configured`,
            hookPhase: 'Running',
            syncPhase: 'Sync',
            ...(imagesOf([t]).length ? { images: imagesOf([t]) } : {}),
          })),
          revision: last.sha,
          source: clone(app.spec.source!),
        },
      };
      if (autoSyncEnabled(app))
        st.lastAutoSync = { revision: last.sha, phase: 'Succeeded' };
      st.liveMeta.phase = this.#finalPhase(st);
      st.liveMeta.phaseSince = iso(
        new Date(new Date(last.date).getTime() + 120_000),
      );
      st.healthTransition = st.liveMeta.phaseSince;
    }
    await this.reconcile(app.metadata.name, { memo: opts.memo });
    return this.view(app.metadata.name);
  }

  // ---------------------------------------------------------------- rendering

  #isOurRepo(source: ApplicationSource | undefined): boolean {
    if (!source?.repoURL) return false;
    const url = source.repoURL.replace(/\/+$/, '').replace(/\.git$/, '');
    const ours = this.repo.repoURL.replace(/\/+$/, '');
    return url === ours || url === path.resolve(this.repo.dir);
  }

  async #render(
    sha: string,
    source: ApplicationSource,
    app: Application,
  ): Promise<KubeObject[]> {
    if (!this.#isOurRepo(source)) {
      throw new RenderError(
        `rpc error: code = Unknown desc = repository not accessible: repositories not accessible: &Repository{Repo: "${
          source?.repoURL ?? ''
        }"}: the emulator only serves ${this.repo.repoURL}`,
      );
    }
    const dest = app.spec.destination ?? {};
    const namespace = dest.namespace ?? 'default';
    const key = `${sha}|${canonicalJson({
      ...source,
      targetRevision: undefined,
    })}|${app.metadata.name}|${namespace}`;
    const cached = this.#renderCache.get(key);
    if (cached) return clone(cached);
    const dir = (source.path ?? '').replace(/^\.?\/*/, '').replace(/\/+$/, '');
    const chartText = await this.repo.readAt(
      sha,
      `${dir ? `${dir}/` : ''}Chart.yaml`,
    );
    if (chartText === undefined) {
      throw new RenderError(
        `${dir || '.'}: Chart.yaml not found at revision ${sha}`,
      );
    }
    let chart: ChartMeta;
    try {
      chart = parseYaml(chartText) as ChartMeta;
    } catch (e) {
      throw new RenderError(
        `failed to parse Chart.yaml: ${(e as Error).message}`,
      );
    }
    if (!chart?.name || !chart.version)
      throw new RenderError('Chart.yaml: name and version are required');
    const files: { name: string; text: string }[] = [];
    for (const f of source.helm?.valueFiles ?? ['values.yaml']) {
      const rel = path.posix.normalize(`${dir ? `${dir}/` : ''}${f}`);
      const text = await this.repo.readAt(sha, rel);
      if (text === undefined) {
        if (source.helm?.ignoreMissingValueFiles) continue;
        throw new RenderError(`open ${rel}: no such file or directory`);
      }
      files.push({ name: rel, text });
    }
    if (!source.helm?.valueFiles) {
      // Helm always reads the chart's own values.yaml when present.
    }
    const values = effectiveValues(files, source);
    const manifests = renderManifests({
      appName: app.metadata.name,
      releaseName: source.helm?.releaseName,
      namespace,
      chart,
      values,
    });
    if (this.#renderCache.size >= 2000) this.#renderCache.clear(); // bound memory in long runs
    this.#renderCache.set(key, manifests);
    return clone(manifests);
  }

  clearRenderCache() {
    this.#renderCache.clear();
  }

  // ---------------------------------------------------------------- live state

  #finalPhase(st: AppState): HealthPhase {
    const images = imagesOf([...st.live.values()]);
    return images.some(i => this.#o.isBrokenTag(tagOfImage(i)))
      ? 'Degraded'
      : 'Healthy';
  }

  #applyToLive(
    st: AppState,
    objects: KubeObject[],
    sha: string,
    source: ApplicationSource,
    at: Date,
    silent = false,
  ) {
    let templateChanged = false;
    for (const t of objects) {
      const key = resourceKey(t);
      const prev = st.live.get(key);
      if (prev && canonicalJson(normalizeLive(prev)) === canonicalJson(t))
        continue;
      if (t.kind === 'Deployment') {
        const prevTemplate = prev
          ? canonicalJson((prev as any).spec?.template)
          : '';
        if (prevTemplate !== canonicalJson((t as any).spec?.template))
          templateChanged = true;
      }
      st.live.set(key, {
        ...clone(t),
        metadata: {
          ...clone(t.metadata),
          uid:
            (prev?.metadata.uid as string) ??
            uidFor(`${st.app.metadata.uid}/${key}`),
          resourceVersion: this.#nextRv(),
          creationTimestamp:
            (prev?.metadata.creationTimestamp as string) ?? iso(at),
          generation: ((prev?.metadata.generation as number) ?? 0) + 1,
        },
      });
    }
    st.liveMeta.revision = sha;
    st.liveMeta.source = clone(source);
    if (templateChanged) {
      st.liveMeta.deployRevision += 1;
      this.#setPhase(st, 'Progressing', at);
      if (!silent) this.#scheduleHealth(st);
    }
  }

  #setPhase(st: AppState, phase: HealthPhase, at: Date) {
    st.liveMeta.phase = phase;
    st.liveMeta.phaseSince = iso(at);
  }

  #scheduleHealth(st: AppState) {
    if (st.healthTimer) clearTimeout(st.healthTimer);
    st.healthTimer = setTimeout(() => {
      st.healthTimer = undefined;
      if (this.#stopped) return;
      this.#setPhase(st, this.#finalPhase(st), this.#now());
      this.#touch(st);
    }, this.#o.healthProgressingMs);
    st.healthTimer.unref?.();
  }

  #prune(st: AppState, keys: string[]) {
    for (const k of keys) st.live.delete(k);
  }

  /** Live object with a status reflecting the current health phase. */
  // ---------------------------------------------------------------- reconcile

  /** Re-reads git (resolving targetRevision) and recomputes the comparison. */
  async reconcile(
    name: string,
    opts: { hard?: boolean; memo?: Map<string, Promise<string>> } = {},
  ): Promise<void> {
    const st = this.#apps.get(name);
    if (!st || st.imported) return;
    if (opts.hard) this.clearRenderCache();
    const now = this.#now();
    const source = st.app.spec.source;
    const prev = st.comparison;
    let comparison: Comparison;
    try {
      if (!source)
        throw new RenderError(
          'spec.source is required (multi-source apps are not emulated)',
        );
      if (!this.#isOurRepo(source)) await this.#render('HEAD', source, st.app);
      const rev = source.targetRevision ?? '';
      let pending = opts.memo?.get(rev);
      if (!pending) {
        pending = this.repo.resolve(rev);
        opts.memo?.set(rev, pending);
      }
      const sha = await pending;
      const target = await this.#render(sha, source, st.app);
      comparison = { targetSha: sha, target, reconciledAt: iso(now) };
    } catch (e) {
      const msg =
        e instanceof UnresolvableRevisionError
          ? `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = unable to resolve '${e.revision}' to a commit SHA`
          : `Failed to load target state: failed to generate manifest for source 1 of 1: ${
              (e as Error).message
            }`;
      comparison = { error: msg, reconciledAt: iso(now) };
    }
    st.comparison = comparison;
    if (
      !prev ||
      prev.targetSha !== comparison.targetSha ||
      prev.error !== comparison.error
    )
      this.#touch(st);
  }

  /** One pass of the background loop: reconcile, resume window-blocked operations, auto-sync. */
  async reconcileAll(): Promise<void> {
    if (this.#reconciling) return this.#reconciling;
    this.#reconciling = (async () => {
      const memo = new Map<string, Promise<string>>();
      for (const name of this.names()) {
        if (this.#stopped) return;
        await this.reconcile(name, { memo });
        await this.#afterReconcile(name);
      }
    })().finally(() => {
      this.#reconciling = undefined;
    });
    return this.#reconciling;
  }

  /** Refresh (GET ?refresh=): reconcile this app now and run the controller's checks. */
  async refresh(name: string, scope: Scope, hard: boolean): Promise<void> {
    this.#get(name, scope);
    await this.reconcile(name, { hard });
    await this.#afterReconcile(name);
  }

  async #afterReconcile(name: string) {
    const st = this.#apps.get(name);
    if (!st || st.imported) return;
    // operations waiting for a sync window
    if (
      st.operationState?.phase === 'Running' &&
      !st.opTimer &&
      st.app.operation
    )
      this.#runOperation(st);
    this.#autoSync(st);
  }

  #autoSync(st: AppState) {
    const app = st.app;
    if (
      !autoSyncEnabled(app) ||
      app.operation ||
      app.metadata.deletionTimestamp
    )
      return;
    const cmp = st.comparison;
    if (!cmp?.targetSha || !cmp.target) return;
    const resources = compareResources(cmp.target, [...st.live.values()]);
    if (appSyncStatus(resources) === 'Synced') return;
    const selfHeal = !!app.spec.syncPolicy?.automated?.selfHeal;
    const last = st.lastAutoSync;
    if (last && last.revision === cmp.targetSha) {
      if (last.phase !== 'Succeeded') return; // failed previous attempt: Argo CD does not retry the same revision
      if (!selfHeal) return;
    }
    let allowed = true;
    try {
      allowed = canSync(this.#windowsFor(app), {
        manual: false,
        now: this.#now(),
      });
    } catch {
      allowed = false;
    }
    if (!allowed) return;
    const automated = app.spec.syncPolicy!.automated!;
    const op: Operation = {
      sync: {
        revision: cmp.targetSha,
        prune: !!automated.prune,
        ...(app.spec.syncPolicy?.syncOptions
          ? { syncOptions: clone(app.spec.syncPolicy.syncOptions) }
          : {}),
        ...(last && last.revision === cmp.targetSha
          ? { autoHealAttemptsCount: 1 }
          : {}),
      },
      initiatedBy: { automated: true },
      ...(app.spec.syncPolicy?.retry
        ? { retry: clone(app.spec.syncPolicy.retry) }
        : {}),
    };
    st.lastAutoSync = { revision: cmp.targetSha, phase: 'Running' };
    this.#startOperation(st, op);
    this.#beginOperation(st);
  }

  #windowsFor(app: Application): SyncWindow[] {
    const project = this.#projects.get(app.spec.project);
    return matchingWindows(project?.spec.syncWindows, {
      name: app.metadata.name,
      destination: app.spec.destination,
    });
  }

  // ---------------------------------------------------------------- operations

  #startOperation(st: AppState, op: Operation) {
    st.app.operation = clone(op);
    st.operationState = undefined;
    this.#touch(st);
  }

  /** Controller picks the operation up: Running, window check, then completion after the configured time. */
  #beginOperation(st: AppState) {
    const op = st.app.operation;
    if (!op) return;
    st.operationState = {
      operation: clone(op),
      phase: 'Running',
      message: '',
      startedAt: iso(this.#now()),
    };
    this.#touch(st);
    this.#runOperation(st);
  }

  #runOperation(st: AppState) {
    const os = st.operationState;
    if (!os || os.phase !== 'Running' || st.opTimer) return;
    let allowed: boolean;
    try {
      allowed = canSync(this.#windowsFor(st.app), {
        manual: !os.operation.initiatedBy?.automated,
        now: this.#now(),
      });
    } catch {
      allowed = false;
    }
    if (!allowed) {
      if (os.message !== 'Sync operation blocked by sync window') {
        os.message = 'Sync operation blocked by sync window';
        this.#touch(st);
      }
      return;
    }
    if (os.message === 'Sync operation blocked by sync window') {
      os.message = '';
      this.#touch(st);
    }
    const delay = this.#o.operationDurationMs + this.#o.slowOperationsMs();
    // opTimer stays set until the completion has finished, so a reconcile pass
    // cannot schedule a second completion of the same operation meanwhile.
    const timer: NodeJS.Timeout = setTimeout(() => {
      if (this.#stopped) return;
      this.#completeOperation(st)
        .catch(e => this.#finishOperation(st, 'Error', (e as Error).message))
        .finally(() => {
          if (st.opTimer === timer) st.opTimer = undefined;
        });
    }, delay);
    timer.unref?.();
    st.opTimer = timer;
  }

  #finishOperation(
    st: AppState,
    phase: OperationState['phase'],
    message: string,
    syncResult?: OperationState['syncResult'],
  ) {
    const os = st.operationState;
    if (!os) return;
    st.opTimer = undefined; // the operation is over; a new one may schedule its completion
    os.phase = phase;
    os.message = message;
    os.finishedAt = iso(this.#now());
    if (syncResult) os.syncResult = syncResult;
    delete st.app.operation;
    if (os.operation.initiatedBy?.automated && st.lastAutoSync)
      st.lastAutoSync.phase = phase;
    this.#touch(st);
  }

  async #completeOperation(st: AppState) {
    const os = st.operationState!;
    if (os.phase !== 'Running') return;
    const sync = os.operation.sync ?? {};
    const dry = !!sync.dryRun;
    const source = clone(sync.source ?? st.app.spec.source!);
    let sha: string;
    let target: KubeObject[];
    try {
      sha = await this.repo.resolve(sync.revision ?? source.targetRevision);
      target = await this.#render(sha, source, st.app);
    } catch (e) {
      const msg =
        e instanceof UnresolvableRevisionError
          ? `ComparisonError: rpc error: code = Unknown desc = unable to resolve '${e.revision}' to a commit SHA`
          : `ComparisonError: Failed to load target state: failed to generate manifest for source 1 of 1: ${
              (e as Error).message
            }`;
      this.#finishOperation(st, 'Error', msg);
      return;
    }
    if (os.phase !== 'Running') return; // terminated meanwhile
    const { selected, results, toPrune, failing, partial } = planSync({
      target,
      live: [...st.live.values()],
      sync,
      isSyncFailTag: this.#o.isSyncFailTag,
    });
    const syncResult = { resources: results, revision: sha, source };
    if (failing) {
      this.#finishOperation(
        st,
        'Failed',
        `one or more objects failed to apply${dry ? ' (dry run)' : ''}`,
        syncResult,
      );
      return;
    }
    if (!dry) {
      this.#applyToLive(st, selected, sha, source, this.#now());
      if (sync.prune && !partial) this.#prune(st, toPrune);
    }
    const finishedAt = iso(this.#now());
    this.#finishOperation(
      st,
      'Succeeded',
      'successfully synced (all tasks run)',
      syncResult,
    );
    if (
      shouldRecordHistory({
        dryRun: dry,
        resources: sync.resources,
        phase: 'Succeeded',
      })
    ) {
      st.history = appendHistory(
        st.history,
        {
          revision: sha,
          deployStartedAt: os.startedAt,
          deployedAt: finishedAt,
          source,
          initiatedBy: clone(os.operation.initiatedBy ?? {}),
        },
        st.app.spec.revisionHistoryLimit,
      );
      this.#touch(st);
    }
    await this.reconcile(st.app.metadata.name);
  }

  // ---------------------------------------------------------------- API: sync / rollback / terminate

  async sync(
    name: string,
    req: SyncRequest,
    username: string,
  ): Promise<Application> {
    const st = this.#get(name, {
      appNamespace: req.appNamespace,
      project: req.project,
    });
    const app = st.app;
    // 1. sync windows, as a manual sync, before dryRun is looked at
    let allowed: boolean;
    try {
      allowed = canSync(this.#windowsFor(app), {
        manual: true,
        now: this.#now(),
      });
    } catch (e) {
      throw argoErrors.invalidWindow((e as Error).message);
    }
    if (!allowed) throw argoErrors.blockedByWindow();
    if (req.manifests?.length) {
      if (autoSyncEnabled(app) && !req.dryRun) {
        throw new ArgoError(
          GrpcCode.FailedPrecondition,
          'cannot use local sync when Automatic Sync Policy is enabled except with dry-run',
        );
      }
      throw new ArgoError(
        GrpcCode.Unimplemented,
        'local manifest sync is not supported by the emulator',
      );
    }
    if (app.metadata.deletionTimestamp) throw argoErrors.deleting();
    const source = app.spec.source;
    if (!source) throw argoErrors.invalidArgument('application has no source');
    const targetRevision = source.targetRevision ?? '';
    if (
      req.revision &&
      req.revision !== targetRevision &&
      autoSyncEnabled(app) &&
      !req.dryRun
    ) {
      throw argoErrors.autoSyncRevision(req.revision, targetRevision || 'HEAD');
    }
    let sha: string;
    try {
      sha = await this.repo.resolve(req.revision || targetRevision);
    } catch (e) {
      if (e instanceof UnresolvableRevisionError)
        throw argoErrors.unresolvableRevision(e.revision);
      throw e;
    }
    if (app.operation) throw argoErrors.operationInProgress();
    const strategy = normalizeStrategy(req.strategy);
    const op: Operation = {
      sync: {
        revision: sha,
        ...(req.prune ? { prune: true } : {}),
        ...(req.dryRun ? { dryRun: true } : {}),
        ...(strategy ? { syncStrategy: strategy } : {}),
        ...(req.resources?.length ? { resources: clone(req.resources) } : {}),
        ...syncOptionsOf(
          req.syncOptions
            ? req.syncOptions.items ?? []
            : app.spec.syncPolicy?.syncOptions,
        ),
      },
      initiatedBy: { username },
      ...(req.infos?.length ? { info: clone(req.infos) } : {}),
      ...retryOf(req.retryStrategy ?? app.spec.syncPolicy?.retry),
    };
    this.#startOperation(st, op);
    const response = this.view(name);
    this.#beginOperation(st);
    return response;
  }

  async rollback(
    name: string,
    req: {
      id?: number | string;
      dryRun?: boolean;
      prune?: boolean;
      appNamespace?: string;
      project?: string;
    },
    username: string,
  ): Promise<Application> {
    const st = this.#get(name, {
      appNamespace: req.appNamespace,
      project: req.project,
    });
    const app = st.app;
    if (app.metadata.deletionTimestamp) throw argoErrors.deleting();
    if (autoSyncEnabled(app)) throw argoErrors.rollbackAutoSync();
    const h = findHistory(st.history, req.id ?? 0);
    if (!h)
      throw argoErrors.rollbackUnknownId(
        app.metadata.namespace ?? this.namespace,
        name,
        req.id ?? 0,
      );
    if (!h.source) throw argoErrors.rollbackNoSource();
    if (app.operation) throw argoErrors.operationInProgress();
    const op: Operation = {
      sync: {
        revision: h.revision,
        source: clone(h.source),
        ...(req.dryRun ? { dryRun: true } : {}),
        ...(req.prune ? { prune: true } : {}),
        ...(app.spec.syncPolicy?.syncOptions
          ? { syncOptions: clone(app.spec.syncPolicy.syncOptions) }
          : {}),
        syncStrategy: { apply: {} },
      },
      initiatedBy: { username },
      ...(app.spec.syncPolicy?.retry
        ? { retry: clone(app.spec.syncPolicy.retry) }
        : {}),
    };
    this.#startOperation(st, op);
    const response = this.view(name);
    this.#beginOperation(st);
    return response;
  }

  terminate(name: string, scope: Scope): void {
    const st = this.#get(name, scope);
    const os = st.operationState;
    if (
      !st.app.operation ||
      !os ||
      (os.phase !== 'Running' && os.phase !== 'Terminating')
    ) {
      throw argoErrors.nothingToTerminate();
    }
    if (st.opTimer) {
      clearTimeout(st.opTimer);
      st.opTimer = undefined;
    }
    os.phase = 'Terminating';
    this.#touch(st);
    const t = setTimeout(() => {
      if (this.#stopped) return;
      this.#finishOperation(st, 'Failed', 'Operation terminated');
    }, Math.min(50, this.#o.operationDurationMs));
    t.unref?.();
  }

  // ---------------------------------------------------------------- API: read

  /** The Application as the API returns it. */
  view(name: string, scope?: Scope): Application {
    const st = scope ? this.#get(name, scope) : this.#apps.get(name);
    if (!st) throw argoErrors.permissionDenied();
    const app = clone(st.app);
    if (st.imported) {
      const status = clone(st.imported);
      status.history = clone(st.history);
      if (st.operationState) status.operationState = clone(st.operationState);
      else delete status.operationState;
      return { ...app, status };
    }
    const key = `${st.app.metadata.resourceVersion}|${
      st.comparison?.reconciledAt ?? ''
    }`;
    if (st.statusCache?.key !== key)
      st.statusCache = { key, json: JSON.stringify(this.#status(st)) };
    app.status = JSON.parse(st.statusCache.json);
    return app;
  }

  #status(st: AppState): Record<string, any> {
    const app = st.app;
    const cmp = st.comparison;
    const live = [...st.live.values()];
    const status: Record<string, any> = {};
    let health: HealthCode = 'Healthy';
    if (cmp?.target) {
      const comps = compareResources(cmp.target, live);
      status.resources = comps.map(c => {
        const h = resourceHealth(st.liveMeta, c);
        if (h) health = worseHealth(health, h.status);
        return {
          ...(c.group ? { group: c.group } : {}),
          version: c.version,
          kind: c.kind,
          namespace: c.namespace,
          name: c.name,
          status: c.status,
          ...(h ? { health: h } : {}),
          ...(c.requiresPruning ? { requiresPruning: true } : {}),
        };
      });
      status.sync = {
        status: appSyncStatus(comps),
        comparedTo: {
          source: clone(app.spec.source),
          destination: clone(app.spec.destination),
        },
        revision: cmp.targetSha,
      };
    } else {
      for (const l of live) {
        if (l.kind === 'Deployment')
          health = worseHealth(health, st.liveMeta.phase);
      }
      status.sync = {
        status: 'Unknown',
        comparedTo: {
          source: clone(app.spec.source),
          destination: clone(app.spec.destination),
        },
      };
      if (cmp?.error)
        status.conditions = [
          {
            type: 'ComparisonError',
            message: cmp.error,
            lastTransitionTime: cmp.reconciledAt,
          },
        ];
    }
    if (st.lastHealth !== health) {
      st.lastHealth = health;
      st.healthTransition =
        health === 'Progressing' ||
        health === 'Degraded' ||
        health === 'Healthy'
          ? st.liveMeta.phaseSince
          : iso(this.#now());
    }
    status.health = { status: health, lastTransitionTime: st.healthTransition };
    if (st.history.length) status.history = clone(st.history);
    status.reconciledAt = cmp?.reconciledAt ?? iso(this.#now());
    if (st.operationState) status.operationState = clone(st.operationState);
    status.sourceType = 'Helm';
    status.summary = imagesOf(live).length ? { images: imagesOf(live) } : {};
    status.controllerNamespace = this.namespace;
    status.resourceHealthSource = 'appTree';
    return status;
  }

  list(filters: {
    selector?: string;
    projects?: string[];
    name?: string;
    repo?: string;
    appNamespace?: string;
  }): Application[] {
    let reqs: ReturnType<typeof parseLabelSelector>;
    try {
      reqs = parseLabelSelector(filters.selector ?? '');
    } catch (e) {
      if (e instanceof LabelSelectorError)
        throw argoErrors.invalidArgument(
          `error parsing the selector: ${e.message}`,
        );
      throw e;
    }
    return this.names()
      .map(n => this.#apps.get(n)!)
      .filter(st => !filters.name || st.app.metadata.name === filters.name)
      .filter(
        st =>
          !filters.projects?.length ||
          filters.projects.includes(st.app.spec.project),
      )
      .filter(
        st => !filters.repo || st.app.spec.source?.repoURL === filters.repo,
      )
      .filter(
        () => !filters.appNamespace || filters.appNamespace === this.namespace,
      )
      .filter(st => matchesLabelSelector(reqs, st.app.metadata.labels))
      .map(st => this.view(st.app.metadata.name));
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  managedResources(
    name: string,
    scope: Scope,
    filter: Record<string, string | undefined>,
  ) {
    const st = this.#get(name, scope);
    return managedResourceItems(
      st.comparison?.target ?? [],
      [...st.live.values()],
      st.liveMeta,
      filter,
    );
  }

  resourceTree(name: string, scope: Scope) {
    const st = this.#get(name, scope);
    return buildResourceTree([...st.live.values()], st.liveMeta);
  }

  async manifests(name: string, scope: Scope, revision?: string) {
    const st = this.#get(name, scope);
    const source = st.app.spec.source!;
    let sha: string;
    try {
      sha = await this.repo.resolve(revision || source.targetRevision);
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
      target = await this.#render(sha, source, st.app);
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

  async revisionMetadata(name: string, scope: Scope, revision: string) {
    this.#get(name, scope);
    try {
      const m = await this.repo.metadata(revision);
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
    const st = this.#get(name, scope);
    const windows = this.#windowsFor(st.app);
    const strip = (w: SyncWindow) => ({
      kind: w.kind,
      schedule: w.schedule,
      duration: w.duration,
      manualSync: !!w.manualSync,
    });
    let active: SyncWindow[] = [];
    let allowed: boolean;
    try {
      active = activeWindows(windows, this.#now());
      allowed = canSync(windows, { manual: true, now: this.#now() });
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

  // ---------------------------------------------------------------- API: write

  #validateSpec(spec: any): void {
    if (!spec || typeof spec !== 'object')
      throw argoErrors.invalidArgument('application spec is required');
    if (!spec.project || !this.#projects.has(spec.project)) {
      throw argoErrors.invalidArgument(
        `application references project ${
          spec.project ?? ''
        } which does not exist`,
      );
    }
    if (
      !spec.destination ||
      (!spec.destination.server && !spec.destination.name)
    ) {
      throw argoErrors.invalidArgument(
        'application destination spec is invalid: destination server missing from app spec',
      );
    }
    if (!spec.source && !spec.sources?.length)
      throw argoErrors.invalidArgument('spec.source is required');
  }

  async create(input: Application, upsert: boolean): Promise<Application> {
    if (!input?.metadata?.name)
      throw argoErrors.invalidArgument('application name is required');
    this.#validateSpec(input.spec);
    const existing = this.#apps.get(input.metadata.name);
    if (existing) {
      if (canonicalJson(existing.app.spec) === canonicalJson(input.spec))
        return this.view(input.metadata.name);
      if (!upsert) {
        throw new ArgoError(
          GrpcCode.InvalidArgument,
          'existing application spec is different, use upsert flag to force update',
        );
      }
      return this.#updateSpec(existing, input.spec, input.metadata);
    }
    return this.addApplication({ metadata: input.metadata, spec: input.spec });
  }

  async #updateSpec(
    st: AppState,
    spec: any,
    metadata?: Partial<Application['metadata']>,
  ): Promise<Application> {
    this.#validateSpec(spec);
    const changed = canonicalJson(st.app.spec) !== canonicalJson(spec);
    st.app.spec = clone(spec);
    if (metadata) {
      if (metadata.labels !== undefined)
        st.app.metadata.labels = clone(metadata.labels);
      if (metadata.annotations !== undefined)
        st.app.metadata.annotations = clone(metadata.annotations);
    }
    if (changed)
      st.app.metadata.generation = (st.app.metadata.generation ?? 0) + 1;
    this.#touch(st);
    if (st.imported && changed) delete st.imported;
    await this.reconcile(st.app.metadata.name);
    return this.view(st.app.metadata.name);
  }

  async putSpec(name: string, scope: Scope, spec: any): Promise<any> {
    const st = this.#get(name, scope);
    const app = await this.#updateSpec(st, spec);
    return app.spec;
  }

  async putApp(
    name: string,
    scope: Scope,
    body: Application,
  ): Promise<Application> {
    const st = this.#get(name, scope);
    if (body?.metadata?.name && body.metadata.name !== name)
      throw argoErrors.invalidArgument(
        'application name does not match the request',
      );
    return this.#updateSpec(st, body?.spec, body?.metadata);
  }

  async patch(
    name: string,
    scope: Scope,
    patched: (current: Application) => Application,
  ): Promise<Application> {
    const st = this.#get(name, scope);
    const current = this.view(name);
    const next = patched(current);
    return this.#updateSpec(st, next.spec, next.metadata);
  }

  delete(name: string, scope: Scope): void {
    const st = this.#get(name, scope);
    if (st.app.metadata.deletionTimestamp) return;
    st.app.metadata.deletionTimestamp = iso(this.#now());
    this.#touch(st);
    const t = setTimeout(() => {
      if (st.opTimer) clearTimeout(st.opTimer);
      if (st.healthTimer) clearTimeout(st.healthTimer);
      this.#apps.delete(name);
      this.#o.onChange?.();
      this.#emit(name, 'DELETED');
    }, this.#o.operationDurationMs);
    t.unref?.();
  }

  /** Changes a live object out-of-band (like `kubectl set image`), for self-heal tests. */
  driftImage(name: string, image: string): void {
    const st = this.#apps.get(name);
    if (!st) throw argoErrors.permissionDenied();
    for (const [k, o] of st.live) {
      if (o.kind !== 'Deployment') continue;
      const d: any = clone(o);
      d.spec.template.spec.containers[0].image = image;
      d.metadata.resourceVersion = this.#nextRv();
      st.live.set(k, d);
      st.liveMeta.deployRevision += 1;
      this.#setPhase(st, 'Progressing', this.#now());
      this.#scheduleHealth(st);
    }
    this.#touch(st);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#reconciling?.catch(() => undefined);
    for (const st of this.#apps.values()) {
      if (st.opTimer) clearTimeout(st.opTimer);
      if (st.healthTimer) clearTimeout(st.healthTimer);
    }
  }
}

function syncOptionsOf(items: string[] | undefined): {
  syncOptions?: string[];
} {
  return items ? { syncOptions: clone(items) } : {};
}

function retryOf(retry: Record<string, unknown> | undefined): {
  retry?: Record<string, unknown>;
} {
  return retry ? { retry: clone(retry) } : {};
}

/** The wire quirk: accept `hook.syncStrategyApply.force` as `hook.force`. */
export function normalizeStrategy(s: any): any {
  if (!s || typeof s !== 'object') return undefined;
  const out: any = {};
  if (s.apply)
    out.apply = {
      ...(s.apply.force !== undefined ? { force: !!s.apply.force } : {}),
    };
  if (s.hook) {
    const force = s.hook.force ?? s.hook.syncStrategyApply?.force;
    out.hook = { ...(force !== undefined ? { force: !!force } : {}) };
  }
  return Object.keys(out).length ? out : undefined;
}
