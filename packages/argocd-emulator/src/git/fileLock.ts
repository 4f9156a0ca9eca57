/** A cross-process lock file (O_EXCL create), so two emulators seeding one data dir take turns. */
import fs from 'node:fs';

/** Runs `fn` holding `<lockPath>`; a lock older than `staleMs` is considered abandoned. @public */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  staleMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + 2 * staleMs;
  for (;;) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - fs.statSync(lockPath).mtimeMs > staleMs)
          fs.rmSync(lockPath, { force: true });
      } catch {
        // removed meanwhile
      }
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for lock ${lockPath}`);
      await new Promise(r => setTimeout(r, 25));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
