/**
 * A cross-process lock on a data directory (proper-lockfile: an atomic mkdir,
 * refreshed while held, taken over when stale), so two emulators seeding one
 * GitOps repository take turns.
 */
import path from 'node:path';
import lockfile from 'proper-lockfile';

const STALE_MS = 60_000; // refreshed every 30 s while held; generous for loaded machines

/** Runs `fn` holding the seed lock of `dataDir` (waits up to about 30-120 s for another holder). @public */
export async function withSeedLock<T>(
  dataDir: string,
  fn: () => Promise<T>,
): Promise<T> {
  const release = await lockfile.lock(dataDir, {
    lockfilePath: path.join(dataDir, '.argocd-emulator-seed.lockdir'),
    stale: STALE_MS,
    retries: { retries: 1200, factor: 1, minTimeout: 25, maxTimeout: 100 },
    // Seeding is idempotent (it only adds what is missing): a lock whose refresh
    // was late under load is reported, not turned into a crash of the process.
    onCompromised: e =>
      process.emitWarning(`argocd-emulator: seed lock: ${e.message}`),
  });
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
