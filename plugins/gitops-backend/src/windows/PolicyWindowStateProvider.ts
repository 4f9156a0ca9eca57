import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EnvironmentApplication,
  WindowState,
} from '@internal/plugin-gitops-common';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { PolicySet } from '../policy/types';
import { SyncWindow, evaluateWindows, fromArgoSyncWindows } from './windows';

/**
 * Reads Argo CD's own windows of an application
 * (`GET /api/v1/applications/{name}/syncwindows` → `assignedWindows`).
 *
 * @internal
 */
export async function readArgoCdWindows(
  client: Pick<ArgoCdClient, 'getSyncWindows'>,
  application: EnvironmentApplication,
): Promise<SyncWindow[]> {
  const res = await client.getSyncWindows(
    application.instance,
    application.name,
    {
      project: application.project,
      appNamespace: application.namespace,
      cached: true,
    },
  );
  return fromArgoSyncWindows(res.assignedWindows ?? []);
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
  readonly #client?: Pick<ArgoCdClient, 'getSyncWindows'>;
  readonly #logger?: LoggerService;
  readonly #now: () => Date;

  static create(options: {
    policies: PolicySet;
    client?: Pick<ArgoCdClient, 'getSyncWindows'>;
    logger?: LoggerService;
    now?: () => Date;
  }) {
    return new PolicyWindowStateProvider(options);
  }

  private constructor(options: {
    policies: PolicySet;
    client?: Pick<ArgoCdClient, 'getSyncWindows'>;
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
    let argo: SyncWindow[] = [];
    if (env.useArgoCdWindows && this.#client && options.application) {
      try {
        argo = await readArgoCdWindows(this.#client, options.application);
      } catch (e) {
        this.#logger?.warn(
          `sync windows of ${options.application.name} could not be read: ${
            (e as Error).message
          }`,
        );
      }
    }
    const windows = [...env.windows, ...argo];
    if (!windows.length) return undefined;
    const { open, openUntil, nextOpen, message } = evaluateWindows(
      windows,
      this.#now(),
    );
    return {
      open,
      message,
      ...(openUntil ? { openUntil } : {}),
      ...(nextOpen ? { nextOpen } : {}),
    };
  }
}
