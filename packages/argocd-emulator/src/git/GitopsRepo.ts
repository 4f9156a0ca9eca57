/**
 * The GitOps repository on disk, read and written with real git (simple-git).
 * Layout: apps/<app>/values.yaml + apps/<app>/Chart.yaml on branch `main`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleGit, SimpleGit } from 'simple-git';

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

const EMULATOR_AUTHOR = { name: 'Argo CD Emulator', email: 'argocd-emulator@example.org' };

/** @public */
export class GitopsRepo {
  readonly dir: string;
  readonly #git: SimpleGit;
  #lock: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
    this.#git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
  }

  /** Opens the repository at `dir`, creating it (non-bare, branch main) when missing. */
  static async open(dir: string): Promise<GitopsRepo> {
    fs.mkdirSync(dir, { recursive: true });
    const repo = new GitopsRepo(dir);
    if (!fs.existsSync(path.join(dir, '.git'))) {
      await repo.#git.raw(['init', '--initial-branch=main']);
      await repo.#git.addConfig('user.name', EMULATOR_AUTHOR.name);
      await repo.#git.addConfig('user.email', EMULATOR_AUTHOR.email);
      fs.writeFileSync(
        path.join(dir, 'README.md'),
        '# GitOps repository\n\nOne folder per Argo CD application: `apps/<application>/values.yaml` and `Chart.yaml`.\n',
      );
    }
    return repo;
  }

  get repoURL(): string {
    return `file://${path.resolve(this.dir)}`;
  }

  /** Serialises writes so concurrent seeding cannot race on the index. */
  async #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Whether HEAD exists (at least one commit). */
  async hasCommits(): Promise<boolean> {
    try {
      const out = await this.#git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
      return /^[0-9a-f]{40}$/.test(out.trim());
    } catch {
      return false;
    }
  }

  /** Whether `relPath` exists in HEAD's tree. */
  async existsInHead(relPath: string): Promise<boolean> {
    if (!(await this.hasCommits())) return false;
    const out = await this.#git.raw(['ls-tree', '--name-only', 'HEAD', '--', relPath]);
    return out.trim() !== '';
  }

  /** Writes files and commits them (with author, date and tags). Returns the SHA. */
  async commit(c: SeedCommit): Promise<string> {
    return this.#exclusive(async () => {
      for (const [rel, content] of Object.entries(c.files)) {
        const abs = path.join(this.dir, rel);
        fs.mkdirSync(path.dirname(abs), { recursive: true });
        fs.writeFileSync(abs, content);
      }
      const date = c.date.toISOString();
      const all = [...Object.keys(c.files)];
      if (!(await this.hasCommits()) && fs.existsSync(path.join(this.dir, 'README.md'))) all.push('README.md');
      await this.#git.add(all);
      await this.#git
        .env({
          ...process.env,
          GIT_AUTHOR_NAME: c.author.name,
          GIT_AUTHOR_EMAIL: c.author.email,
          GIT_AUTHOR_DATE: date,
          GIT_COMMITTER_NAME: c.author.name,
          GIT_COMMITTER_EMAIL: c.author.email,
          GIT_COMMITTER_DATE: date,
        })
        .raw(['commit', '--no-verify', '--allow-empty', '-m', c.message, '--', ...all]);
      const sha = (await this.#git.raw(['rev-parse', 'HEAD'])).trim();
      for (const tag of c.tags ?? []) {
        await this.#git.raw(['tag', '-f', tag, sha]);
      }
      return sha;
    });
  }

  /** Resolves a revision (branch, tag, SHA, HEAD; '' = HEAD) to a full commit SHA. */
  async resolve(revision: string | undefined): Promise<string> {
    const rev = !revision || revision === '' ? 'HEAD' : revision;
    if (rev.startsWith('-')) throw new UnresolvableRevisionError(rev);
    try {
      const out = await this.#git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
      const sha = out.trim();
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new UnresolvableRevisionError(rev);
      return sha;
    } catch {
      throw new UnresolvableRevisionError(rev);
    }
  }

  /** Content of `relPath` at commit `sha`, or undefined when absent. */
  async readAt(sha: string, relPath: string): Promise<string | undefined> {
    try {
      return await this.#git.raw(['show', `${sha}:${relPath.replace(/^\.?\//, '')}`]);
    } catch {
      return undefined;
    }
  }

  /** Author, date, message and tags of a commit. */
  async metadata(revision: string): Promise<CommitMetadata> {
    const sha = await this.resolve(revision);
    const out = await this.#git.raw(['show', '-s', '--format=%an <%ae>%x00%aI%x00%B', sha]);
    const [author, date, ...rest] = out.split('\u0000');
    const tagsOut = await this.#git.raw(['tag', '--points-at', sha]);
    return {
      sha,
      author,
      date: new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      message: rest.join('\u0000').replace(/\n+$/, ''),
      tags: tagsOut.split('\n').map(t => t.trim()).filter(Boolean).sort(),
    };
  }

  /** SHAs of commits touching `relPath`, newest first (up to `max`). */
  async log(relPath: string, max: number): Promise<{ sha: string; date: string }[]> {
    if (!(await this.hasCommits())) return [];
    const out = await this.#git.raw(['log', `--max-count=${max}`, '--format=%H %aI', 'HEAD', '--', relPath]);
    return out
      .split('\n')
      .filter(Boolean)
      .map(l => {
        const [sha, date] = l.split(' ');
        return { sha, date };
      });
  }
}
