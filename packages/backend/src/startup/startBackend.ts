/*
 * Starts a backend with the startup guard (./startupService) and ends the
 * process with a non-zero code when the start fails.
 *
 * `backend.start()` rejects (BackendStartupError) when a plugin or module
 * fails to initialise, but the HTTP server is already listening and the
 * backend's own unhandled-rejection handler only logs: without this, the
 * process stays alive with liveness 200 and readiness 503, and no
 * orchestrator restarts it.
 */
import { createBackend } from '@backstage/backend-defaults';
import { startupGuardServiceFactory } from './startupService';

export async function startBackend(
  backend: Pick<ReturnType<typeof createBackend>, 'add' | 'start' | 'stop'>,
  options: {
    exit?: (code: number) => void;
    report?: (message: string) => void;
  } = {},
): Promise<void> {
  const exit = options.exit ?? (code => process.exit(code));
  // eslint-disable-next-line no-console
  const report = options.report ?? (m => console.error(m));
  backend.add(startupGuardServiceFactory);
  try {
    await backend.start();
  } catch (error) {
    report(
      `Backend failed to start, exiting: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
    // Release what can be released (HTTP server, database pools), then exit.
    await Promise.race([
      backend.stop().catch(() => {}),
      new Promise(r => setTimeout(r, 5000)),
    ]);
    exit(1);
  }
}
