/** The shapes the GitOps repository reads and writes (re-exported by `GitopsRepo`). */

/** Commit metadata as `/revisions/{rev}/metadata` returns it. @public */
export interface CommitMetadata {
  sha: string;
  author: string;
  date: string;
  message: string;
  tags: string[];
}

/** Thrown when a revision does not resolve to a commit. @public */
export class UnresolvableRevisionError extends Error {
  constructor(readonly revision: string) {
    super(`unable to resolve '${revision}' to a commit SHA`);
  }
}

/** A seed commit: files to write, message, author/date, tags to put on it. @public */
export interface SeedCommit {
  files: Record<string, string>;
  message: string;
  author: { name: string; email: string };
  date: Date;
  tags?: string[];
}
