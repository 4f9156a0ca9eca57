/*
 * Startup guard for the backend, as a root service so that it runs before any
 * plugin is initialised (root services are created first, plugin inits wait):
 * - holds the startup lock (./startupLock) until every plugin has started;
 * - ends the process when the start takes longer than
 *   `backend.startup.timeout` (default 10 minutes), instead of staying alive
 *   with readiness 503 forever.
 */
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { acquireStartupLock, StartupLock } from './startupLock';

/** Default of `backend.startup.timeout`. */
export const DEFAULT_STARTUP_TIMEOUT_MS = 10 * 60 * 1000;

const MS = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
} as const;

/** Milliseconds of a Backstage duration (`readDurationFromConfig`). */
export function durationMs(duration: Partial<Record<keyof typeof MS, number>>) {
  return Object.entries(duration).reduce(
    (sum, [unit, n]) => sum + (n ?? 0) * MS[unit as keyof typeof MS],
    0,
  );
}

/** The guard of one start (exposed for tests). */
export interface StartupGuard {
  lock: StartupLock;
}

export const startupGuardServiceRef = createServiceRef<StartupGuard>({
  id: 'internal.backend.startupGuard',
  scope: 'root',
});

/** @param exit - how the process ends on timeout (tests pass a fake). */
export function createStartupGuardServiceFactory(
  exit: (code: number) => void = code => process.exit(code),
) {
  return createServiceFactory({
    service: startupGuardServiceRef,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      lifecycle: coreServices.rootLifecycle,
    },
    async factory({ config, logger, lifecycle }) {
      const log = logger.child({ type: 'startup' });
      const timeoutMs = config.has('backend.startup.timeout')
        ? durationMs(
            readDurationFromConfig(config, { key: 'backend.startup.timeout' }),
          )
        : DEFAULT_STARTUP_TIMEOUT_MS;
      const databaseConfig = config.getOptionalConfig('backend.database');
      // Without backend.database the backend runs on an in-memory SQLite: nothing to share.
      const lock: StartupLock = databaseConfig
        ? await acquireStartupLock({ databaseConfig, log: m => log.info(m) })
        : { held: false, release: async () => {} };
      if (lock.held) {
        log.info('startup lock taken; initialising plugins');
      }
      const timer = setTimeout(() => {
        log.error(
          `the backend did not finish starting within ${Math.round(
            timeoutMs / 1000,
          )}s (backend.startup.timeout); exiting`,
        );
        exit(1);
      }, timeoutMs);
      lifecycle.addStartupHook(async () => {
        clearTimeout(timer);
        await lock.release();
      });
      lifecycle.addShutdownHook(async () => {
        clearTimeout(timer);
        await lock.release();
      });
      return { lock };
    },
  });
}

/** The startup guard for `backend.add(...)`. */
export const startupGuardServiceFactory = createStartupGuardServiceFactory();
