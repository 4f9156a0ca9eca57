/** Application writes: create (upsert), update spec/app, patch, delete (with finalizer delay). */
import { ArgoError, argoErrors, GrpcCode } from '../../logic/errors';
import { canonicalJson } from '../../logic/compare';
import type { Application } from '../../logic/types';
import { clone } from '../live/liveViews';
import type { ProjectStore } from '../projects/ProjectStore';
import type { Comparer } from '../reconcile/Comparer';
import type { AppStore } from '../state/AppStore';
import { AppState, Clock, iso, Scope } from '../state/types';
import type { AppViews } from '../views/AppViews';
import type { AppLoader } from './AppLoader';

/** Collaborators of the {@link AppWriter}. */
export interface AppWriterOptions {
  store: AppStore;
  projects: ProjectStore;
  comparer: Comparer;
  views: AppViews;
  loader: AppLoader;
  clock: Clock;
  /** How long a deleted app stays (with deletionTimestamp) before it is gone. */
  deleteDelayMs: number;
}

/** @public */
export class AppWriter {
  readonly #o: AppWriterOptions;

  constructor(opts: AppWriterOptions) {
    this.#o = opts;
  }

  #validateSpec(spec: any): void {
    if (!spec || typeof spec !== 'object')
      throw argoErrors.invalidArgument('application spec is required');
    if (!spec.project || !this.#o.projects.has(spec.project)) {
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
    const existing = this.#o.store.peek(input.metadata.name);
    if (existing) {
      if (canonicalJson(existing.app.spec) === canonicalJson(input.spec))
        return this.#o.views.view(input.metadata.name);
      if (!upsert) {
        throw new ArgoError(
          GrpcCode.InvalidArgument,
          'existing application spec is different, use upsert flag to force update',
        );
      }
      return this.#updateSpec(existing, input.spec, input.metadata);
    }
    return this.#o.loader.add({ metadata: input.metadata, spec: input.spec });
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
    st.specChangedAt = iso(this.#o.clock.now());
    this.#o.store.touch(st);
    if (st.imported && changed) delete st.imported;
    await this.#o.comparer.reconcile(st.app.metadata.name);
    return this.#o.views.view(st.app.metadata.name);
  }

  async putSpec(name: string, scope: Scope, spec: any): Promise<any> {
    const st = this.#o.store.lookup(name, scope);
    const app = await this.#updateSpec(st, spec);
    return app.spec;
  }

  async putApp(
    name: string,
    scope: Scope,
    body: Application,
  ): Promise<Application> {
    const st = this.#o.store.lookup(name, scope);
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
    const st = this.#o.store.lookup(name, scope);
    const current = this.#o.views.view(name);
    const next = patched(current);
    return this.#updateSpec(st, next.spec, next.metadata);
  }

  delete(name: string, scope: Scope): void {
    const { store } = this.#o;
    const st = store.lookup(name, scope);
    if (st.app.metadata.deletionTimestamp) return;
    st.app.metadata.deletionTimestamp = iso(this.#o.clock.now());
    store.touch(st);
    const t = setTimeout(() => {
      if (st.opTimer) clearTimeout(st.opTimer);
      if (st.healthTimer) clearTimeout(st.healthTimer);
      // Argo CD's DELETED event carries the object as it was, at the deletion's resourceVersion.
      const last = this.#o.views.view(name);
      last.metadata.resourceVersion = store.nextRv();
      store.delete(name);
      store.changed();
      store.emit(name, 'DELETED', st.app.metadata.namespace, last);
    }, this.#o.deleteDelayMs);
    t.unref?.();
  }
}
