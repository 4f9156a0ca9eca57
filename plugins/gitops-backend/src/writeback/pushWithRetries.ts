import { LoggerService } from '@backstage/backend-plugin-api';
import { changeMarker } from './commitMessage';
import { GitPushRejectedError } from './gitErrors';
import { GitRepository } from './GitRepository';

/** A commit made (or found) for a change. @internal */
export interface GitWriteResult {
  commitSha: string;
  /** false: the file already had the value, nothing was committed. */
  changed: boolean;
  /** true: a commit of this change was already on the remote (resumed execution). */
  reused: boolean;
  previous?: string;
  /** Push attempts needed (1 = no conflict). */
  attempts: number;
  /** For a revert: the commit reverted. */
  revertedSha?: string;
}

/**
 * One write of a change, retried: fetch and reset to the remote; when a
 * commit of this change is already there (a resumed execution) return it;
 * else `apply` the edit and commit, push, and on a non-fast-forward
 * rejection start again, up to `maxPushAttempts` attempts. Callers hold the
 * clone exclusively.
 *
 * @internal
 */
export async function pushWithRetries(
  repo: GitRepository,
  apply: (head: string) => Promise<Omit<GitWriteResult, 'reused' | 'attempts'>>,
  changeId: string,
  opts: { maxPushAttempts: number; logger: LoggerService },
): Promise<GitWriteResult> {
  const max = Math.max(1, opts.maxPushAttempts);
  for (let attempt = 1; ; attempt++) {
    const head = await repo.syncToRemote();
    const existing = await repo.findCommit(changeMarker(changeId));
    if (existing) {
      return {
        commitSha: existing,
        changed: true,
        reused: true,
        attempts: attempt,
      };
    }
    const result = await apply(head);
    if (!result.changed) {
      return { ...result, reused: false, attempts: attempt };
    }
    try {
      await repo.push();
      return { ...result, reused: false, attempts: attempt };
    } catch (e) {
      if (e instanceof GitPushRejectedError && attempt < max) {
        // concurrent writers: spread the retries out a little
        await new Promise(r =>
          setTimeout(r, 50 * attempt + Math.floor(Math.random() * 100)),
        );
        opts.logger.info(
          `git push of change ${changeId} rejected (${
            e.message
          }); re-reading and retrying (attempt ${attempt + 1}/${max})`,
        );
        continue;
      }
      if (e instanceof GitPushRejectedError) {
        throw new Error(
          `git push rejected ${max} times (the branch keeps moving): ${e.message}`,
        );
      }
      throw e;
    }
  }
}
