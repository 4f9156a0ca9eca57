import { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  LastOperation,
  LogQuery,
  LogStreamLine,
  OutOfSyncReport,
  ResourceEvents,
  ResourceTree,
  ResourceTreeNode,
  TreeHealthFilter,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { ArgoApplication } from '../argocd/types';
import { LocatedApplication } from '../state/ApplicationLocator';
import { argoCall, fromEnvironmentError } from './errors';
import { DEFAULT_LOG_LIMITS, LogLimits, pumpLogs } from './logStream';
import { toLastOperation, toResourceEvents } from './mapping';
import { explainOutOfSync } from './outOfSync';
import { buildTree, findNode, workloadContainers } from './tree';

/** The Argo CD calls this service makes. @internal */
export type TroubleshootingClient = Pick<
  ArgoCdClient,
  | 'getApplication'
  | 'listApplications'
  | 'listInstances'
  | 'getResourceTree'
  | 'getManagedResources'
  | 'getResourceEvents'
  | 'openPodLogs'
>;

/**
 * Locates and binds one environment's application for an entity: the read
 * side's own resolution (GitOpsStateService.locateEnvironment), so that
 * troubleshooting shows exactly the applications the state routes show.
 * NotFoundError for an unknown environment.
 *
 * @internal
 */
export type LocateEnvironment = (
  entity: Entity,
  env: string,
) => Promise<{ located: LocatedApplication }>;

/** Where an environment's application lives. */
interface Located {
  instance: string;
  app: ArgoApplication;
}

/**
 * Troubleshooting reads of one environment, through Argo CD's API only:
 * resource tree, events, pod logs, last operation, OutOfSync causes.
 * Callers must have checked that the user may see the entity (and
 * `gitops.logs.read` for logs).
 *
 * @internal
 */
export class TroubleshootingService {
  readonly #client: TroubleshootingClient;
  readonly #locateEnvironment: LocateEnvironment;
  readonly limits: LogLimits;

  static create(options: {
    client: TroubleshootingClient;
    /** The read side's location and binding of an environment's application. */
    locate: LocateEnvironment;
    limits?: Partial<LogLimits>;
  }): TroubleshootingService {
    return new TroubleshootingService(options);
  }

  private constructor(options: {
    client: TroubleshootingClient;
    locate: LocateEnvironment;
    limits?: Partial<LogLimits>;
  }) {
    this.#client = options.client;
    this.#locateEnvironment = options.locate;
    this.limits = { ...DEFAULT_LOG_LIMITS, ...options.limits };
  }

  /** The bound application, or the reason (an unbound entity reads nothing of it). */
  async #locate(entity: Entity, envName: string): Promise<Located> {
    const { located } = await this.#locateEnvironment(entity, envName);
    if (!located.app) throw fromEnvironmentError(located.error);
    return { instance: located.instance, app: located.app };
  }

  /** Resource tree (parent → children), optionally only the unhealthy branches. */
  async getTree(
    entity: Entity,
    env: string,
    filter?: TreeHealthFilter[],
  ): Promise<ResourceTree> {
    const l = await this.#locate(entity, env);
    const roots = await this.#roots(l, filter);
    return {
      application: this.#identity(l),
      ...(l.app.status?.health?.status
        ? { health: l.app.status.health.status as ResourceTree['health'] }
        : {}),
      roots,
      ...(filter?.length ? { filter } : {}),
    };
  }

  async #roots(
    l: Located,
    filter?: TreeHealthFilter[],
  ): Promise<ResourceTreeNode[]> {
    const opts = { appNamespace: l.app.metadata.namespace, cached: true };
    const [tree, managed] = await Promise.all([
      argoCall(l, 'tree', () =>
        this.#client.getResourceTree(l.instance, l.app.metadata.name, opts),
      ),
      argoCall(l, 'managed', () =>
        this.#client.getManagedResources(l.instance, l.app.metadata.name, opts),
      ),
    ]);
    return buildTree({
      tree,
      app: l.app,
      containers: workloadContainers(managed.items ?? []),
      filter,
    });
  }

  /** Events of the application, or of one resource (by uid, or name + namespace). */
  async getEvents(
    entity: Entity,
    env: string,
    resource?: {
      resourceUID?: string;
      resourceName?: string;
      resourceNamespace?: string;
    },
  ): Promise<ResourceEvents> {
    const l = await this.#locate(entity, env);
    const list = await argoCall(l, 'events', () =>
      this.#client.getResourceEvents(l.instance, l.app.metadata.name, {
        appNamespace: l.app.metadata.namespace,
        ...resource,
      }),
    );
    return toResourceEvents(list);
  }

  /** Last operation (phase, message, per-resource results incl. hooks) and conditions. */
  async getLastOperation(entity: Entity, env: string): Promise<LastOperation> {
    const l = await this.#locate(entity, env);
    return toLastOperation(l.app);
  }

  /** Out-of-sync resources and their likely causes. */
  async getOutOfSync(entity: Entity, env: string): Promise<OutOfSyncReport> {
    const l = await this.#locate(entity, env);
    const managed = await argoCall(l, 'managed', () =>
      this.#client.getManagedResources(l.instance, l.app.metadata.name, {
        appNamespace: l.app.metadata.namespace,
        cached: true,
      }),
    );
    return explainOutOfSync(l.app, managed.items ?? []);
  }

  /**
   * Streams a pod's logs to `write`, bounded by {@link LogLimits}. The pod
   * must be in the application's tree and the container one of its own.
   * Throws before the first line when the request is refused.
   */
  async streamLogs(
    entity: Entity,
    env: string,
    query: LogQuery,
    write: (line: LogStreamLine) => void,
    signal?: AbortSignal,
  ): Promise<LogStreamLine> {
    const l = await this.#locate(entity, env);
    const roots = await this.#roots(l);
    const pod = findNode(
      roots,
      n => n.kind === 'Pod' && n.name === query.podName,
    );
    if (!pod) {
      throw new NotFoundError(
        `podName: no pod '${query.podName}' in application '${l.app.metadata.name}'`,
      );
    }
    if (
      query.container &&
      pod.containers &&
      !pod.containers.some(c => c.name === query.container)
    ) {
      throw new InputError(
        `container: pod '${pod.name}' has no container '${
          query.container
        }' (it has ${pod.containers.map(c => `'${c.name}'`).join(', ')})`,
      );
    }
    const upstream = new AbortController();
    const onAbort = () => upstream.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const body = await argoCall(l, 'logs', () =>
        this.#client.openPodLogs(
          l.instance,
          l.app.metadata.name,
          {
            podName: pod.name,
            ...(pod.namespace ? { namespace: pod.namespace } : {}),
            container:
              query.container ?? pod.containers?.find(c => !c.init)?.name,
            tailLines: query.tailLines ?? this.limits.defaultTailLines,
            ...(query.sinceSeconds ? { sinceSeconds: query.sinceSeconds } : {}),
            follow: !!query.follow,
            ...(l.app.metadata.namespace
              ? { appNamespace: l.app.metadata.namespace }
              : {}),
          },
          upstream.signal,
        ),
      );
      return await pumpLogs({
        body,
        write,
        limits: this.limits,
        abort: () => upstream.abort(),
        signal,
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      upstream.abort();
    }
  }

  #identity(l: Located) {
    return {
      instance: l.instance,
      name: l.app.metadata.name,
      ...(l.app.metadata.namespace
        ? { namespace: l.app.metadata.namespace }
        : {}),
    };
  }
}
