import fs from 'node:fs/promises';

/**
 * A cross-process lock as a directory (mkdir is atomic). A lock older than
 * `staleMs` is taken over (its holder died). Used around pushes into a local
 * non-bare repository: git's push-to-checkout (`updateInstead`) updates the
 * work tree before the ref, so two concurrent pushes can leave the work tree
 * of the loser behind a HEAD that moved — and every later push is refused
 * with "Working directory has staged changes".
 *
 * @internal
 */
export async function withDirLock<T>(
  lockDir: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; staleMs?: number } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 120_000;
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleMs) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for the lock ${lockDir}`,
        );
      }
      await new Promise(r =>
        setTimeout(r, Math.min(500, 20 * (attempt + 1)) + Math.random() * 20),
      );
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}
