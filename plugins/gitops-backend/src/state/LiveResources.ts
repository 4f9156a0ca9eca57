import { Entity } from '@backstage/catalog-model';
import {
  EnvironmentDiff,
  EnvironmentError,
  EnvironmentResources,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { LocateEnvironment } from './HistoryReader';
import { toResourceDiff } from './resourceDiff';

/**
 * Managed resources (diff) and the resource tree of one environment: read
 * from Argo CD through the client's short read cache (the watch stream
 * carries Application objects only).
 */
export class LiveResources {
  readonly #client: ArgoCdClient;
  readonly #locate: LocateEnvironment;

  constructor(client: ArgoCdClient, locate: LocateEnvironment) {
    this.#client = client;
    this.#locate = locate;
  }

  /** Managed resources with a readable diff of live vs target. */
  async getDiff(entity: Entity, envName: string): Promise<EnvironmentDiff> {
    const { located } = await this.#locate(entity, envName);
    if (!located.app) throw envError(located.error);
    const res = await this.#client.getManagedResources(
      located.instance,
      located.app.metadata.name,
      {
        appNamespace: located.app.metadata.namespace,
        cached: true,
      },
    );
    return { items: (res.items ?? []).map(toResourceDiff) };
  }

  /** Live resources with health and images. */
  async getResources(
    entity: Entity,
    envName: string,
  ): Promise<EnvironmentResources> {
    const { located } = await this.#locate(entity, envName);
    if (!located.app) throw envError(located.error);
    const tree = await this.#client.getResourceTree(
      located.instance,
      located.app.metadata.name,
      {
        appNamespace: located.app.metadata.namespace,
        cached: true,
      },
    );
    return {
      items: (tree.nodes ?? []).map(n => ({
        group: n.group || undefined,
        kind: n.kind,
        namespace: n.namespace || undefined,
        name: n.name,
        health: n.health?.status
          ? { status: n.health.status as any, message: n.health.message }
          : undefined,
        images: n.images ?? [],
        parentRefs: n.parentRefs?.map(p => ({ kind: p.kind, name: p.name })),
      })),
    };
  }
}

function envError(e: EnvironmentError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
