/**
 * The application store: every app's state by name, the resourceVersion
 * counter, change notification (persistence) and the coalesced watch feed.
 */
import { argoErrors } from '../../logic/errors';
import type { Application } from '../../logic/types';
import type { AppState, Scope, WatchEventType } from './types';

/** `last`: for DELETED, the object as it was when deleted (with its deletion resourceVersion). */
type Watcher = (
  name: string,
  type: WatchEventType,
  namespace: string,
  last?: Application,
) => void;

/** @public */
export class AppStore {
  readonly namespace: string;
  readonly #apps = new Map<string, AppState>();
  readonly #onChange?: () => void;
  readonly #watchers = new Set<Watcher>();
  readonly #pendingEvents = new Map<
    string,
    { type: WatchEventType; namespace: string; last?: Application }
  >();
  #rv = 1000;
  #stopped = false;

  constructor(opts: { namespace: string; onChange?: () => void }) {
    this.namespace = opts.namespace;
    this.#onChange = opts.onChange;
  }

  /** Once stopped, timers that fire do nothing. */
  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    this.#stopped = true;
  }

  get rv(): number {
    return this.#rv;
  }

  /** Raises the counter to at least `rv` (restoring a snapshot). */
  raiseRv(rv: number): void {
    this.#rv = Math.max(this.#rv, rv);
  }

  nextRv(): string {
    this.#rv += 1;
    return String(this.#rv);
  }

  /** Something persisted changed (no resourceVersion bump). */
  changed(): void {
    this.#onChange?.();
  }

  /** An app changed: new resourceVersion, persist, notify watchers. */
  touch(st: AppState): void {
    st.app.metadata.resourceVersion = this.nextRv();
    this.#onChange?.();
    this.emit(st.app.metadata.name, 'MODIFIED');
  }

  /** Subscribes to application changes (coalesced per tick); returns an unsubscribe function. */
  watch(fn: Watcher): () => void {
    this.#watchers.add(fn);
    return () => this.#watchers.delete(fn);
  }

  /** Queues a watch event (`namespace`: the app's, default its current one). */
  emit(
    name: string,
    type: WatchEventType,
    namespace?: string,
    last?: Application,
  ): void {
    if (this.#watchers.size === 0) return;
    const prev = this.#pendingEvents.get(name);
    if (prev?.type === 'ADDED' && type === 'MODIFIED') return;
    if (this.#pendingEvents.size === 0) {
      setImmediate(() => {
        const events = [...this.#pendingEvents];
        this.#pendingEvents.clear();
        for (const [n, e] of events)
          for (const w of this.#watchers) w(n, e.type, e.namespace, e.last);
      });
    }
    this.#pendingEvents.set(name, {
      type,
      last,
      namespace:
        namespace ??
        this.#apps.get(name)?.app.metadata.namespace ??
        this.namespace,
    });
  }

  set(st: AppState): void {
    this.#apps.set(st.app.metadata.name, st);
  }

  delete(name: string): void {
    this.#apps.delete(name);
  }

  /** The state of `name` without any access check. */
  peek(name: string): AppState | undefined {
    return this.#apps.get(name);
  }

  all(): AppState[] {
    return [...this.#apps.values()];
  }

  has(name: string): boolean {
    return this.#apps.has(name);
  }

  names(): string[] {
    return [...this.#apps.keys()].sort();
  }

  /** Project of an application (undefined when it does not exist). */
  projectOf(name: string): string | undefined {
    return this.#apps.get(name)?.app.spec.project;
  }

  /**
   * Argo CD's getApplicationEnforceRBAC: without `project` an unknown app is a
   * 403 permission denied; with `project` it is a 404 not found. The app is
   * looked up in `appNamespace`, default the control-plane namespace
   * (appNamespaceOrDefault), so an app in another namespace needs it.
   */
  lookup(name: string, scope: Scope = {}): AppState {
    const projects = ([] as string[]).concat(scope.project ?? []);
    if (projects.length > 1) throw argoErrors.multipleProjects();
    const st = this.#apps.get(name);
    // a loaded recording keeps the namespace of the installation it came from
    // but answers as an app of this control plane
    const appNs =
      st && !st.imported
        ? st.app.metadata.namespace ?? this.namespace
        : this.namespace;
    const nsOk = appNs === (scope.appNamespace || this.namespace);
    if (projects.length === 0) {
      if (!st || !nsOk) throw argoErrors.permissionDenied();
      return st;
    }
    if (!st || !nsOk || st.app.spec.project !== projects[0])
      throw argoErrors.appNotFound(name);
    return st;
  }
}
