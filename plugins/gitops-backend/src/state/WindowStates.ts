import { LoggerService } from '@backstage/backend-plugin-api';
import {
  EnvironmentApplication,
  WindowState,
} from '@internal/plugin-gitops-common';
import { Pipeline, PipelineEnvironment } from '../pipeline';
import { WindowStateProvider } from './WindowStateProvider';

/** Longest reuse of a computed window state. */
const WINDOW_STATE_MAX_MS = 60_000;

/**
 * Window states of entity environments, reused for a while (they depend on
 * time and config only; evaluating cron windows costs CPU), and the last
 * application identity seen per environment, so that the next read can
 * compute the window state in parallel with the application read.
 */
export class WindowStates {
  readonly #windows: WindowStateProvider;
  readonly #logger?: LoggerService;
  readonly #ttlMs: number;
  readonly #windowStates = new Map<
    string,
    { value: Promise<WindowState | undefined>; expires: number }
  >();
  readonly #identities = new Map<string, EnvironmentApplication>();

  constructor(options: {
    windows: WindowStateProvider;
    logger?: LoggerService;
    ttlMs: number;
  }) {
    this.#windows = options.windows;
    this.#logger = options.logger;
    this.#ttlMs = options.ttlMs;
  }

  /** The application last seen in an environment (key: entity|pipeline|env). */
  knownIdentity(key: string): EnvironmentApplication | undefined {
    return this.#identities.get(key);
  }

  remember(key: string, app: EnvironmentApplication): void {
    if (this.#identities.size > 10_000) this.#identities.clear();
    this.#identities.set(key, app);
  }

  async get(
    entityRef: string,
    pipeline: Pipeline,
    environment: PipelineEnvironment,
    application: EnvironmentApplication | undefined,
  ): Promise<WindowState | undefined> {
    const a = application;
    const key = [
      entityRef,
      pipeline.name,
      environment.name,
      a?.instance,
      a?.name,
      a?.project,
      a?.namespace,
    ].join('|');
    const now = Date.now();
    const hit = this.#windowStates.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = (async () => {
      try {
        return await this.#windows.getWindowState({
          entityRef,
          pipeline,
          environment,
          application,
        });
      } catch (e) {
        this.#logger?.warn(
          `Window state of ${entityRef}/${environment.name} failed: ${
            (e as Error).message
          }`,
        );
        return undefined;
      }
    })();
    if (this.#ttlMs > 0) {
      if (this.#windowStates.size > 10_000) this.#windowStates.clear();
      const entry = { value, expires: now + this.#ttlMs };
      this.#windowStates.set(key, entry);
      // A window state only changes at its next transition: keep it until
      // then (at most a minute, so that config changes show up).
      value.then(w => {
        const next = Math.min(
          ...[w?.openUntil, w?.nextOpen]
            .filter((x): x is string => !!x)
            .map(x => Date.parse(x)),
          now + WINDOW_STATE_MAX_MS,
        );
        entry.expires = Math.max(entry.expires, next);
      });
    }
    return value;
  }
}

/** Whether two environment applications are the same Argo CD object. */
export function sameIdentity(
  a: EnvironmentApplication,
  b: EnvironmentApplication,
): boolean {
  return (
    a.instance === b.instance &&
    a.name === b.name &&
    a.project === b.project &&
    a.namespace === b.namespace
  );
}
