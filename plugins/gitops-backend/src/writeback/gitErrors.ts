/**
 * Errors of the git write-back: a code per failure, and git's messages
 * told without local paths or credentials.
 */

/**
 * What failed in the git write-back, as a code: `push-rejected` (the branch
 * moved; fetch and try again), `revert-conflict` (the revert does not apply),
 * `read-failed` (a file of the clone could not be read), `command-failed`
 * (any other git command).
 *
 * @internal
 */
export type GitErrorCode =
  | 'push-rejected'
  | 'revert-conflict'
  | 'read-failed'
  | 'command-failed';

/**
 * A failed git command, told without local paths or credentials: git's own
 * error line with every absolute path replaced by `[path]` and the user
 * info of URLs (and the configured password) by `[redacted]`.
 *
 * @internal
 */
export class GitCommandError extends Error {
  readonly code: GitErrorCode;

  constructor(message: string, code: GitErrorCode = 'command-failed') {
    super(message);
    this.name = 'GitCommandError';
    this.code = code;
  }
}

/**
 * Thrown when a push was rejected because the branch moved
 * (non-fast-forward). Git has no machine-readable reason, so its output is
 * read once ({@link isPushRejection}, in `GitRepository.push`); callers
 * check the type.
 *
 * @internal
 */
export class GitPushRejectedError extends Error {
  readonly code: GitErrorCode = 'push-rejected';

  constructor(message: string) {
    super(message);
    this.name = 'GitPushRejectedError';
  }
}

/**
 * Whether a failed push's output says the branch moved: a non-fast-forward,
 * or (pushing into a non-bare repository with updateInstead) another push
 * updating its work tree at this moment. Git gives no machine-readable
 * reason, so this is the one place its text is read.
 */
export function isPushRejection(text: string): boolean {
  return /non-fast-forward|\[rejected\]|fetch first|\(stale info\)|failed to update ref|cannot lock ref|Working directory has (un)?staged changes|index\.lock/i.test(
    text,
  );
}

/**
 * A git message without local paths or credentials: absolute paths (not the
 * path part of a URL) become `[path]`, `user:password@` in URLs and the
 * given secrets `[redacted]`.
 *
 * @internal
 */
export function sanitizeGitMessage(
  text: string,
  secrets: Array<string | undefined>,
): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return (
    out
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"]+@/gi, '$1[redacted]@')
      .replace(/(Authorization:\s*\w+\s+)\S+/gi, '$1[redacted]')
      // file: URLs and absolute paths (POSIX and Windows), not URL paths
      .replace(/file:\/\/[^\s'"]+/gi, '[path]')
      .replace(/(^|[\s'"(=])(\/|[A-Za-z]:\\|~\/)[^\s'":)]*/g, '$1[path]')
      .slice(0, 500)
  );
}

/** Git's own first error line of a failed command. */
export function firstLine(e: unknown): string {
  const text = String((e as Error)?.message ?? e).trim();
  // git's own first error line; never includes credentials (they are in env only).
  return (
    text.split('\n').find(l => /error|fatal|rejected|conflict/i.test(l)) ??
    text.split('\n')[0]
  );
}
