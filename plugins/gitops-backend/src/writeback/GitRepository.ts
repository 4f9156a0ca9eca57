import fs from 'node:fs/promises';
import path from 'node:path';
import { SimpleGit } from 'simple-git';
import { GitHttpCredentials, gitAuthEnv } from './gitCredentials';
import { withDirLock } from './dirLock';
import { gitAt, inheritedGitEnv } from './gitEnv';
import {
  GitCommandError,
  GitPushRejectedError,
  firstLine,
  isPushRejection,
  sanitizeGitMessage,
} from './gitErrors';

export {
  GitCommandError,
  GitPushRejectedError,
  sanitizeGitMessage,
} from './gitErrors';
export type { GitErrorCode } from './gitErrors';
export { gitAt, inheritedGitEnv } from './gitEnv';

/** A git identity. @internal */
export interface GitIdentity {
  name: string;
  email: string;
}

/** Options of {@link GitRepository.open}. @internal */
export interface GitRepositoryOptions {
  /** Clone URL, or an absolute local path (the embedded default). */
  remote: string;
  branch: string;
  /** Directory of the working clone (created when missing). */
  dir: string;
  credentials?: GitHttpCredentials;
  /** Committer identity (the author is the requester). */
  committer: GitIdentity;
  /** Lock directory held while pushing (local non-bare remotes, see {@link withDirLock}). */
  pushLock?: string;
}

/**
 * One working clone of a GitOps repository, driven through the real git
 * binary (simple-git). Calls are serialised per instance; credentials travel
 * in environment variables of each git call only.
 *
 * @internal
 */
export class GitRepository {
  readonly #opts: GitRepositoryOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #git?: SimpleGit;
  #remoteChecked = false;

  static open(opts: GitRepositoryOptions): GitRepository {
    return new GitRepository(opts);
  }

  private constructor(opts: GitRepositoryOptions) {
    this.#opts = opts;
  }

  get dir(): string {
    return this.#opts.dir;
  }

  get branch(): string {
    return this.#opts.branch;
  }

  /** Runs `fn` exclusively on this clone (one writer at a time). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Clones when missing, then fetches and hard-resets the branch to the
   * remote so every write starts from what the remote has now.
   */
  async syncToRemote(): Promise<string> {
    return this.#run('git fetch', () => this.#syncToRemote());
  }

  async #syncToRemote(): Promise<string> {
    const { dir, remote, branch } = this.#opts;
    const exists = await fs
      .stat(path.join(dir, '.git'))
      .then(() => true)
      .catch(() => false);
    if (!exists) {
      await fs.mkdir(path.dirname(dir), { recursive: true });
      await fs.rm(dir, { recursive: true, force: true });
      await this.#bare(path.dirname(dir)).clone(remote, dir, [
        '--branch',
        branch,
        '--no-tags',
      ]);
    } else if (!this.#remoteChecked) {
      await this.#g().remote(['set-url', 'origin', remote]);
    }
    this.#remoteChecked = true;
    const g = this.#g();
    await g.fetch('origin', branch, ['--prune', '--no-tags']);
    // -f discards any half-done local edit of an earlier attempt
    await g.raw(['checkout', '-q', '-f', '-B', branch, `origin/${branch}`]);
    await g.raw(['clean', '-q', '-fdx']);
    return (await g.revparse(['HEAD'])).trim();
  }

  async readFile(file: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.#path(file), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new GitCommandError(
        `reading '${file}' failed: ${this.#clean(firstLine(e))}`,
        'read-failed',
      );
    }
  }

  async writeFile(file: string, text: string): Promise<void> {
    const p = this.#path(file);
    await this.#run(`writing '${file}'`, async () => {
      await fs.mkdir(path.dirname(p), { recursive: true });
      await fs.writeFile(p, text, 'utf8');
    });
  }

  /** Commits the given files; returns the new HEAD SHA. */
  async commit(
    message: string,
    author: GitIdentity,
    files: string[],
  ): Promise<string> {
    const g = this.#g(author);
    return this.#run('git commit', async () => {
      await g.raw(['commit', '-q', '-m', message, '--', ...files]);
      return (await g.revparse(['HEAD'])).trim();
    });
  }

  /** `git revert --no-edit <sha>` with the given author; aborts and throws on conflicts. */
  async revert(
    sha: string,
    author: GitIdentity,
    message: string,
  ): Promise<string> {
    const g = this.#g(author);
    try {
      await g.raw(['revert', '--no-commit', sha]);
    } catch (e) {
      await g.raw(['revert', '--abort']).catch(() => undefined);
      throw new GitCommandError(
        `git revert of ${sha} failed: ${this.#clean(firstLine(e))}`,
        'revert-conflict',
      );
    }
    return this.#run('git commit', async () => {
      await g.raw(['commit', '--no-edit', '-m', message]);
      return (await g.revparse(['HEAD'])).trim();
    });
  }

  /** Pushes HEAD to the branch; a non-fast-forward rejection throws {@link GitPushRejectedError}. */
  async push(): Promise<void> {
    const push = () =>
      this.#g().raw(['push', 'origin', `HEAD:refs/heads/${this.#opts.branch}`]);
    try {
      await (this.#opts.pushLock
        ? withDirLock(this.#opts.pushLock, push)
        : push());
    } catch (e) {
      if (isPushRejection(String((e as Error).message ?? e))) {
        throw new GitPushRejectedError(this.#clean(firstLine(e)));
      }
      throw new GitCommandError(
        `git push failed: ${this.#clean(firstLine(e))}`,
      );
    }
  }

  /** Newest commit on the remote branch whose message contains `text`. */
  async findCommit(text: string): Promise<string | undefined> {
    const out = await this.#run('git log', () =>
      this.#g().raw([
        'log',
        `origin/${this.#opts.branch}`,
        '--fixed-strings',
        `--grep=${text}`,
        '--format=%H',
        '-n',
        '1',
      ]),
    );
    return out.trim() || undefined;
  }

  /** Commits touching a file, newest first: `{sha, subject}`. */
  async fileLog(
    file: string,
    max = 50,
  ): Promise<Array<{ sha: string; subject: string }>> {
    const out = await this.#run('git log', () =>
      this.#g().raw([
        'log',
        `origin/${this.#opts.branch}`,
        `-n`,
        String(max),
        '--format=%H%x09%s',
        '--',
        file,
      ]),
    );
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [sha, ...rest] = line.split('\t');
        return { sha, subject: rest.join('\t') };
      });
  }

  /** Content of a file at a revision, undefined when it did not exist. */
  async showFile(rev: string, file: string): Promise<string | undefined> {
    try {
      return await this.#g().show([`${rev}:${file}`]);
    } catch {
      return undefined;
    }
  }

  /** Whether `ancestor` is reachable from `descendant` (both must be known locally). */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.#g().raw([
        'merge-base',
        '--is-ancestor',
        ancestor,
        descendant,
      ]);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs git commands; a failure becomes a {@link GitCommandError}. */
  async #run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof GitCommandError || e instanceof GitPushRejectedError) {
        throw e;
      }
      throw new GitCommandError(`${what} failed: ${this.#clean(firstLine(e))}`);
    }
  }

  #clean(text: string): string {
    return sanitizeGitMessage(text, [
      this.#opts.credentials?.password,
      this.#opts.credentials &&
        Buffer.from(
          `${this.#opts.credentials.username}:${
            this.#opts.credentials.password
          }`,
        ).toString('base64'),
    ]);
  }

  #path(file: string): string {
    const p = path.resolve(this.#opts.dir, file);
    if (!p.startsWith(path.resolve(this.#opts.dir) + path.sep)) {
      throw new Error(`path '${file}' leaves the repository`);
    }
    return p;
  }

  #bare(baseDir: string): SimpleGit {
    return gitAt(baseDir).env(this.#env());
  }

  #g(author?: GitIdentity): SimpleGit {
    if (!author) {
      this.#git ??= gitAt(this.#opts.dir).env(this.#env());
      return this.#git;
    }
    return gitAt(this.#opts.dir).env(this.#env(author));
  }

  #env(author?: GitIdentity): Record<string, string> {
    const base = inheritedGitEnv();
    const c = this.#opts.committer;
    const a = author ?? c;
    return {
      ...base,
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: a.name,
      GIT_AUTHOR_EMAIL: a.email,
      GIT_COMMITTER_NAME: c.name,
      GIT_COMMITTER_EMAIL: c.email,
      ...gitAuthEnv(this.#opts.credentials),
    };
  }
}
