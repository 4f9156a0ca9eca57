import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EnvironmentApplication,
  WindowState,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { PolicySet } from '../policy/types';
import {
  ArgoWindowFacts,
  argoWindowsWithZones,
  decideWindows,
  toWindowState,
} from './argoWindows';
import { SyncWindow } from './windows';

/** The Argo CD reads the window facts need. @internal */
export type ArgoWindowClient = Pick<ArgoCdClient, 'getSyncWindows'> &
  Partial<Pick<ArgoCdClient, 'getProject'>>;

/**
 * Reads what Argo CD says about an application's windows: the syncwindows
 * endpoint (`assignedWindows`, `activeWindows`, `canSync`) and, for the time
 * zones, the AppProject's `spec.syncWindows` (a project that cannot be read
 * leaves the zones at what the windows say, else UTC).
 *
 * @internal
 */
export async function readArgoCdWindowFacts(
  client: ArgoWindowClient,
  application: EnvironmentApplication,
): Promise<ArgoWindowFacts> {
  const [res, project] = await Promise.all([
    client.getSyncWindows(application.instance, application.name, {
      project: application.project,
      appNamespace: application.namespace,
      cached: true,
    }),
    client.getProject && application.project
      ? client
          .getProject(application.instance, application.project, {
            cached: true,
          })
          .catch(() => undefined)
      : Promise.resolve(undefined),
  ]);
  return {
    assigned: res.assignedWindows ?? [],
    active: res.activeWindows ?? [],
    canSync: res.canSync,
    projectWindows: project?.spec?.syncWindows ?? undefined,
  };
}

/**
 * Reads Argo CD's own windows of an application, each with its time zone.
 *
 * @internal
 */
export async function readArgoCdWindows(
  client: ArgoWindowClient,
  application: EnvironmentApplication,
): Promise<SyncWindow[]> {
  return argoWindowsWithZones(await readArgoCdWindowFacts(client, application));
}

/**
 * Computes `EnvironmentState.window` for the read side: the environment's
 * policy windows merged with Argo CD's own, as the policy engine sees them.
 * Implements the read side's `WindowStateProvider`.
 *
 * @internal
 */
export class PolicyWindowStateProvider {
  readonly #policies: PolicySet;
  readonly #client?: ArgoWindowClient;
  readonly #logger?: LoggerService;
  readonly #now: () => Date;

  static create(options: {
    policies: PolicySet;
    client?: ArgoWindowClient;
    logger?: LoggerService;
    now?: () => Date;
  }) {
    return new PolicyWindowStateProvider(options);
  }

  private constructor(options: {
    policies: PolicySet;
    client?: ArgoWindowClient;
    logger?: LoggerService;
    now?: () => Date;
  }) {
    this.#policies = options.policies;
    this.#client = options.client;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  async getWindowState(options: {
    entityRef: string;
    pipeline: { name: string };
    environment: { name: string };
    application?: EnvironmentApplication;
  }): Promise<WindowState | undefined> {
    const env = this.#policies.pipelines
      .get(options.pipeline.name)
      ?.environments.find(e => e.name === options.environment.name);
    if (!env) return undefined;
    let argo: ArgoWindowFacts | undefined;
    if (env.useArgoCdWindows && this.#client && options.application) {
      try {
        argo = await readArgoCdWindowFacts(this.#client, options.application);
      } catch (e) {
        this.#logger?.warn(
          `sync windows of ${options.application.name} could not be read: ${
            (e as Error).message
          }`,
        );
      }
    }
    if (!env.windows.length && !argo?.assigned.length) return undefined;
    return toWindowState(decideWindows(env.windows, argo, this.#now()));
  }
}
