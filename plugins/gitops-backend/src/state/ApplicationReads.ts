/**
 * Where the read side gets Application objects: from the instance's live
 * mirror (no call to Argo CD), else from Argo CD directly (the client with
 * its short read cache), saying so in `freshness`.
 */
import { NotFoundError } from '@backstage/errors';
import { EnvironmentFreshness } from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { ApplicationMirrors } from '../mirror/ApplicationMirrors';
import { parseLabelSelector } from '../mirror/labelSelector';

/** Scope of a single read, as the client takes it. */
export interface ReadScope {
  project?: string;
  appNamespace?: string;
}

/** What the list filters take. */
export interface ListQuery {
  selector?: string;
  projects?: string[];
  appNamespace?: string;
}

/** @public */
export class ApplicationReads {
  readonly #client: ArgoCdClient;
  readonly #mirrors?: ApplicationMirrors;

  constructor(client: ArgoCdClient, mirrors?: ApplicationMirrors) {
    this.#client = client;
    this.#mirrors = mirrors?.enabled ? mirrors : undefined;
  }

  /**
   * Direct reads (through the read cache): `stale` while the instance's
   * mirror is down, i.e. while reads are a fallback; not without mirrors, nor
   * when a live mirror could not tell the application (same name in two
   * namespaces).
   */
  #direct(instance: string): EnvironmentFreshness {
    return {
      source: 'direct',
      stale: !!this.#mirrors && !this.#mirrors.isLive(instance),
    };
  }

  /** One application; errors as the client throws them (NotFoundError when the mirror has none). */
  async get(
    instance: string,
    name: string,
    scope: ReadScope,
  ): Promise<{ app: ArgoApplication; freshness: EnvironmentFreshness }> {
    const held = this.#mirrors?.getApplication(
      instance,
      name,
      scope.appNamespace,
    );
    if (held !== undefined) {
      if (
        held === null ||
        (scope.project && held.spec.project !== scope.project)
      ) {
        throw new NotFoundError(
          `application '${name}' not found on Argo CD instance '${instance}'`,
        );
      }
      return { app: held, freshness: { source: 'mirror', stale: false } };
    }
    const app = await this.#client.getApplication(instance, name, {
      ...scope,
      cached: true,
    });
    return { app, freshness: this.#direct(instance) };
  }

  /** Applications by label selector / projects / namespace. */
  async list(
    instance: string,
    query: ListQuery,
  ): Promise<{ apps: ArgoApplication[]; freshness: EnvironmentFreshness }> {
    const matches = parseLabelSelector(query.selector);
    const held = matches
      ? this.#mirrors?.listApplications(instance)
      : undefined;
    if (held && matches) {
      const apps = held.filter(
        a =>
          matches(a.metadata.labels) &&
          (!query.projects?.length ||
            query.projects.includes(a.spec.project)) &&
          (!query.appNamespace || a.metadata.namespace === query.appNamespace),
      );
      return { apps, freshness: { source: 'mirror', stale: false } };
    }
    const apps = await this.#client.listApplications(instance, {
      ...query,
      cached: true,
    });
    return { apps, freshness: this.#direct(instance) };
  }
}
