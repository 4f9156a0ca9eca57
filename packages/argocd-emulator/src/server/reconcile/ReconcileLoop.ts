/**
 * The application controller's loop: reconcile every app, resume operations a
 * sync window held back, and start automated syncs (with self-heal).
 */
import { appSyncStatus, compareResources } from '../../logic/compare';
import type { Operation } from '../../logic/types';
import { clone } from '../live/liveViews';
import { isMultiSource } from '../render/sources';
import type { OperationRunner } from '../operations/OperationRunner';
import type { ProjectStore } from '../projects/ProjectStore';
import type { AppStore } from '../state/AppStore';
import { AppState, autoSyncEnabled, Scope } from '../state/types';
import type { Comparer } from './Comparer';

/** @public */
export class ReconcileLoop {
  readonly #store: AppStore;
  readonly #comparer: Comparer;
  readonly #runner: OperationRunner;
  readonly #projects: ProjectStore;
  #reconciling?: Promise<void>;

  constructor(opts: {
    store: AppStore;
    comparer: Comparer;
    runner: OperationRunner;
    projects: ProjectStore;
  }) {
    this.#store = opts.store;
    this.#comparer = opts.comparer;
    this.#runner = opts.runner;
    this.#projects = opts.projects;
  }

  /** The pass under way, if any (awaited on stop). */
  get running(): Promise<void> | undefined {
    return this.#reconciling;
  }

  /** One pass of the background loop: reconcile, resume window-blocked operations, auto-sync. */
  async reconcileAll(): Promise<void> {
    if (this.#reconciling) return this.#reconciling;
    this.#reconciling = (async () => {
      const memo = new Map<string, Promise<string>>();
      for (const name of this.#store.names()) {
        if (this.#store.stopped) return;
        await this.#comparer.reconcile(name, { memo });
        this.#afterReconcile(name);
      }
    })().finally(() => {
      this.#reconciling = undefined;
    });
    return this.#reconciling;
  }

  /** Refresh (GET ?refresh=): reconcile this app now and run the controller's checks. */
  async refresh(name: string, scope: Scope, hard: boolean): Promise<void> {
    this.#store.lookup(name, scope);
    await this.#comparer.reconcile(name, { hard });
    this.#afterReconcile(name);
  }

  #afterReconcile(name: string): void {
    const st = this.#store.peek(name);
    if (!st || st.imported) return;
    // operations waiting for a sync window
    if (
      st.operationState?.phase === 'Running' &&
      !st.opTimer &&
      st.app.operation
    )
      this.#runner.run(st);
    this.#autoSync(st);
  }

  #autoSync(st: AppState): void {
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
    if (!this.#projects.allowsSyncNow(app, false)) return;
    const automated = app.spec.syncPolicy!.automated!;
    const multi = isMultiSource(app);
    const op: Operation = {
      sync: {
        ...(multi
          ? {
              revisions: clone(cmp.targetShas),
              sources: clone(app.spec.sources),
            }
          : { revision: cmp.targetSha }),
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
    this.#runner.start(st, op);
    this.#runner.begin(st);
  }
}
