/**
 * Adds applications: a new app (reconciled at once), an app with seeded
 * deployments (live state, history and a finished operation, as if Argo CD had
 * deployed those commits long ago), or a recorded Application kept verbatim.
 */
import { groupOf, imagesOf, versionOf } from '../../logic/compare';
import { appendHistory } from '../../logic/history';
import type { Application } from '../../logic/types';
import type { LiveCluster } from '../live/LiveCluster';
import { clone, uidFor } from '../live/liveViews';
import type { Comparer } from '../reconcile/Comparer';
import type { Renderer } from '../render/Renderer';
import { appSources, isMultiSource } from '../render/sources';
import type { AppStore } from '../state/AppStore';
import { AppState, autoSyncEnabled, Clock, iso } from '../state/types';
import type { AppViews } from '../views/AppViews';

/** A commit already deployed when the emulator starts (oldest first). @public */
export interface SeededDeployment {
  sha: string;
  date: string;
  username?: string;
  automated?: boolean;
}

/** Collaborators of the {@link AppLoader}. */
export interface AppLoaderOptions {
  store: AppStore;
  renderer: Renderer;
  live: LiveCluster;
  comparer: Comparer;
  views: AppViews;
  clock: Clock;
}

/** @public */
export class AppLoader {
  readonly #o: AppLoaderOptions;

  constructor(opts: AppLoaderOptions) {
    this.#o = opts;
  }

  /**
   * Adds an application. `deployed` seeds live state and history (commits
   * already deployed, oldest first); `imported` keeps the given status verbatim.
   */
  async add(
    input: Application,
    opts: {
      deployed?: SeededDeployment[];
      imported?: boolean;
      memo?: Map<string, Promise<string>>;
    } = {},
  ): Promise<Application> {
    const { store, views } = this.#o;
    const now = this.#o.clock.now();
    const app: Application = {
      metadata: {
        ...clone(input.metadata),
        namespace: input.metadata.namespace ?? store.namespace,
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
    // the emulator's API server records managedFields itself (a recorded app keeps its own)
    if (!opts.imported) delete app.metadata.managedFields;
    const st: AppState = {
      app,
      history: [],
      live: new Map(),
      liveMeta: { phase: 'Healthy', phaseSince: iso(now), deployRevision: 0 },
      healthTransition: iso(now),
      specChangedAt: app.metadata.creationTimestamp,
    };
    if (opts.imported) {
      st.imported = clone(input.status ?? {});
      st.history = clone(input.status?.history ?? []);
      st.operationState = clone(input.status?.operationState);
      if (input.metadata.resourceVersion)
        app.metadata.resourceVersion = input.metadata.resourceVersion;
      else store.touch(st);
      store.set(st);
      return views.view(app.metadata.name);
    }
    store.touch(st);
    store.set(st);
    store.emit(app.metadata.name, 'ADDED');
    if (opts.deployed?.length) await this.#seed(st, opts.deployed);
    await this.#o.comparer.reconcile(app.metadata.name, { memo: opts.memo });
    return views.view(app.metadata.name);
  }

  async #seed(st: AppState, deployed: SeededDeployment[]): Promise<void> {
    const { renderer, live } = this.#o;
    const app = st.app;
    const multi = isMultiSource(app);
    const sources = appSources(app);
    // every source of a seeded app lives in the GitOps repository: one commit for all
    const render = (sha: string) =>
      multi
        ? renderer.renderSources(
            sources.map(() => sha),
            sources,
            app,
          )
        : renderer.render(sha, sources[0], app);
    const revisionFields = (sha: string) =>
      multi
        ? { revisions: sources.map(() => sha), sources: clone(sources) }
        : { revision: sha, source: clone(sources[0]) };
    for (const d of deployed) {
      const target = await render(d.sha);
      live.apply(st, target, d.sha, sources[0], new Date(d.date), true);
      st.history = appendHistory(
        st.history,
        {
          ...revisionFields(d.sha),
          deployStartedAt: iso(new Date(new Date(d.date).getTime() + 60_000)),
          deployedAt: iso(new Date(new Date(d.date).getTime() + 90_000)),
          initiatedBy: d.automated
            ? { automated: true }
            : { username: d.username ?? 'admin' },
        },
        app.spec.revisionHistoryLimit,
      );
    }
    // Seeded deployments finished long ago: settle health now.
    const last = deployed[deployed.length - 1];
    const h = st.history[st.history.length - 1];
    const target = await render(last.sha);
    const { source: _source, ...opRevision } = revisionFields(last.sha) as any;
    st.operationState = {
      operation: {
        sync: {
          ...opRevision,
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
        ...revisionFields(last.sha),
      },
    };
    if (autoSyncEnabled(app))
      st.lastAutoSync = {
        revision: multi ? sources.map(() => last.sha).join(',') : last.sha,
        phase: 'Succeeded',
      };
    st.liveMeta.phase = live.finalPhase(st);
    st.liveMeta.phaseSince = iso(
      new Date(new Date(last.date).getTime() + 120_000),
    );
    st.healthTransition = st.liveMeta.phaseSince;
  }
}
