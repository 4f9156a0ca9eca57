/**
 * AppProjects and their sync windows. Window evaluation comes from
 * `logic/windows.ts`, the emulator's own implementation of Argo CD's rules:
 * it is kept separate from the gitops backend's window code on purpose, so the
 * emulator is an independent check of the backend (a shared module would make
 * both agree on the same bug).
 */
import { argoErrors } from '../../logic/errors';
import {
  activeWindows,
  canSync,
  matchingWindows,
  SyncWindow,
} from '../../logic/windows';
import { clone, uidFor } from '../live/liveViews';
import type { Application } from '../../logic/types';
import { AppProject, Clock, iso } from '../state/types';

/** @public */
export class ProjectStore {
  readonly #projects = new Map<string, AppProject>();
  readonly #namespace: string;
  readonly #clock: Clock;
  readonly #nextRv: () => string;
  readonly #onChange: () => void;

  constructor(opts: {
    namespace: string;
    clock: Clock;
    nextRv: () => string;
    onChange: () => void;
  }) {
    this.#namespace = opts.namespace;
    this.#clock = opts.clock;
    this.#nextRv = opts.nextRv;
    this.#onChange = opts.onChange;
  }

  upsert(p: AppProject): AppProject {
    const now = this.#clock.now();
    const existing = this.#projects.get(p.metadata.name);
    const project: AppProject = {
      metadata: {
        ...p.metadata,
        namespace: this.#namespace,
        uid:
          existing?.metadata.uid ??
          uidFor(`project/${p.metadata.name}/${now.getTime()}`),
        creationTimestamp: existing?.metadata.creationTimestamp ?? iso(now),
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
    this.#onChange();
    return clone(project);
  }

  /** Restores a persisted project verbatim. */
  restore(p: AppProject): void {
    this.#projects.set(p.metadata.name, clone(p));
  }

  has(name: string): boolean {
    return this.#projects.has(name);
  }

  get(name: string): AppProject | undefined {
    const p = this.#projects.get(name);
    return p ? clone(p) : undefined;
  }

  list(): AppProject[] {
    return [...this.#projects.values()]
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
      .map(clone);
  }

  /** Currently active windows of a project (GET /projects/{name}/syncwindows). */
  activeWindows(name: string): SyncWindow[] {
    const p = this.#projects.get(name);
    if (!p) throw argoErrors.projectNotFound(name);
    return clone(activeWindows(p.spec.syncWindows ?? [], this.#clock.now()));
  }

  /** The project's windows that apply to `app`. */
  windowsFor(app: Application): SyncWindow[] {
    const project = this.#projects.get(app.spec.project);
    return matchingWindows(project?.spec.syncWindows, {
      name: app.metadata.name,
      destination: app.spec.destination,
    });
  }

  /** Whether the windows let `app` sync now; throws on an invalid window. */
  canSyncNow(app: Application, manual: boolean): boolean {
    return canSync(this.windowsFor(app), { manual, now: this.#clock.now() });
  }

  /** Like {@link canSyncNow}, an invalid window counting as closed. */
  allowsSyncNow(app: Application, manual: boolean): boolean {
    try {
      return this.canSyncNow(app, manual);
    } catch {
      return false;
    }
  }
}
