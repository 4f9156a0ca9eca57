import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoApplication } from '../argocd/types';
import { BindingConfig } from '../binding/types';
import { ArgoAppProject } from '../argocd/projectCalls';
import { ApplicationMirror, MirrorUpstream } from './ApplicationMirror';
import { ProjectMirror } from './ProjectMirror';
import {
  DEFAULT_MIRROR_CONFIG,
  MirrorChange,
  MirrorConfig,
  MirrorListener,
  MirrorStatus,
} from './types';

/**
 * One {@link ApplicationMirror} per configured Argo CD instance, with one
 * subscription point for every change. Every replica of the backend keeps
 * its own mirrors (nothing is shared but Argo CD itself).
 *
 * @public
 */
export class ApplicationMirrors {
  readonly #mirrors = new Map<string, ApplicationMirror>();
  readonly #projects = new Map<string, ProjectMirror>();
  readonly #listeners = new Set<MirrorListener>();
  readonly #logger?: LoggerService;
  readonly enabled: boolean;

  constructor(options: {
    instances: string[];
    upstream: MirrorUpstream;
    bindings: BindingConfig;
    config: MirrorConfig;
    logger?: LoggerService;
    random?: () => number;
  }) {
    this.enabled = options.config.enabled;
    this.#logger = options.logger;
    if (!this.enabled) return;
    for (const instance of options.instances) {
      this.#mirrors.set(
        instance,
        new ApplicationMirror({
          instance,
          upstream: options.upstream,
          bindings: options.bindings,
          config: options.config,
          logger: options.logger?.child({ mirror: instance }),
          onChange: c => this.#fanOut(c),
          random: options.random,
        }),
      );
      const listProjects = options.upstream.listProjects;
      if (listProjects) {
        this.#projects.set(
          instance,
          new ProjectMirror({
            instance,
            list: i => listProjects(i),
            refreshMs:
              options.config.projectsRefreshMs ??
              DEFAULT_MIRROR_CONFIG.projectsRefreshMs!,
            logger: options.logger?.child({ projects: instance }),
          }),
        );
      }
    }
  }

  start(): void {
    for (const m of this.#mirrors.values()) m.start();
    for (const p of this.#projects.values()) p.start();
  }

  async stop(): Promise<void> {
    await Promise.all([
      ...[...this.#mirrors.values()].map(m => m.stop()),
      ...[...this.#projects.values()].map(p => p.stop()),
    ]);
  }

  /** Every change of every instance, after the mirror holds it; returns the unsubscribe function. */
  subscribe(listener: MirrorListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Whether reads of `instance` may be served from its mirror now. */
  isLive(instance: string): boolean {
    return this.#mirrors.get(instance)?.live ?? false;
  }

  /**
   * The application from the live mirror; `undefined` when the mirror is
   * not live or cannot tell (ask Argo CD then). `null`: the live mirror
   * holds no such application.
   */
  getApplication(
    instance: string,
    name: string,
    appNamespace?: string,
  ): ArgoApplication | null | undefined {
    const m = this.#mirrors.get(instance);
    if (!m?.live) return undefined;
    const app = m.get(name, appNamespace);
    if (app) return app;
    return !appNamespace && m.isAmbiguous(name) ? undefined : null;
  }

  /** Every application of a live mirror; undefined when it is not live. */
  listApplications(instance: string): ArgoApplication[] | undefined {
    const m = this.#mirrors.get(instance);
    return m?.live ? m.list() : undefined;
  }

  /**
   * The AppProject from the instance's held project list; `undefined` when
   * no recent list is held (ask Argo CD), `null` when the list has no such
   * project.
   */
  getProject(
    instance: string,
    name: string,
  ): ArgoAppProject | null | undefined {
    return this.#projects.get(instance)?.get(name);
  }

  status(): MirrorStatus[] {
    return [...this.#mirrors.values()].map(m => {
      const projects = this.#projects.get(m.instance)?.status();
      return projects ? { ...m.status(), projects } : m.status();
    });
  }

  #fanOut(change: MirrorChange) {
    for (const l of this.#listeners) {
      try {
        l(change);
      } catch (e) {
        this.#logger?.warn(
          `A mirror subscriber failed on ${change.instance}/${
            change.appName
          }: ${(e as Error).message}`,
        );
      }
    }
  }
}
