/**
 * The GitOps repository on disk, read and written with real git (simple-git).
 * Layout: apps/<app>/values.yaml + apps/<app>/Chart.yaml on branch `main`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { simpleGit, SimpleGit } from 'simple-git';
import { CatFile } from './CatFile';
import { fastImportStream, runFastImport } from './fastImport';
import { LogEntry, parseLog, parseLogByDir } from './gitParsing';
import { RevisionMetadataReader } from './RevisionMetadataReader';
import {
  CommitMetadata,
  SeedCommit,
  UnresolvableRevisionError,
} from './repoTypes';

export type { CommitMetadata, SeedCommit } from './repoTypes';
export { UnresolvableRevisionError } from './repoTypes';

const EMULATOR_AUTHOR = {
  name: 'Argo CD Emulator',
  email: 'argocd-emulator@example.org',
};

/** @public */
export class GitopsRepo {
  readonly dir: string;
  readonly #git: SimpleGit;
  readonly #cat: CatFile;
  #hasCommits = false;
  #fresh = false;
  /** Emptied on every write through this class (a write may add a tag). */
  readonly #metadata: RevisionMetadataReader;
  #lock: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
    this.#git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
    this.#cat = new CatFile(dir);
    this.#metadata = new RevisionMetadataReader(this.#git, this.#cat, rev =>
      this.resolve(rev),
    );
  }

  /** Opens the repository at `dir`, creating it (non-bare, branch main) when missing. */
  static async open(dir: string): Promise<GitopsRepo> {
    fs.mkdirSync(dir, { recursive: true });
    const repo = new GitopsRepo(dir);
    if (!fs.existsSync(path.join(dir, '.git'))) {
      await repo.#git.raw(['init', '--quiet', '--initial-branch=main']);
      repo.#fresh = true;
      // default identity for commits made in this repo (plain INI append: saves two git spawns)
      fs.appendFileSync(
        path.join(dir, '.git', 'config'),
        `[user]\n\tname = ${EMULATOR_AUTHOR.name}\n\temail = ${EMULATOR_AUTHOR.email}\n`,
      );
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
    if (this.#hasCommits) return true;
    if (this.#fresh) return false;
    try {
      const out = await this.#git.raw([
        'rev-parse',
        '--verify',
        '--quiet',
        'HEAD^{commit}',
      ]);
      this.#hasCommits = /^[0-9a-f]{40}$/.test(out.trim());
      return this.#hasCommits;
    } catch {
      return false;
    }
  }

  /** Names of the entries of directory `dir` in HEAD's tree (empty when no commits). */
  async listDir(dir: string): Promise<string[]> {
    if (!(await this.hasCommits())) return [];
    try {
      const out = await this.#git.raw([
        'ls-tree',
        '--name-only',
        'HEAD',
        '--',
        `${dir.replace(/\/+$/, '')}/`,
      ]);
      return out
        .split('\n')
        .filter(Boolean)
        .map(l => l.slice(dir.replace(/\/+$/, '').length + 1));
    } catch {
      return [];
    }
  }

  /** Whether `relPath` exists in HEAD's tree. */
  async existsInHead(relPath: string): Promise<boolean> {
    if (!(await this.hasCommits())) return false;
    const out = await this.#git.raw([
      'ls-tree',
      '--name-only',
      'HEAD',
      '--',
      relPath,
    ]);
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
      if (
        !(await this.hasCommits()) &&
        fs.existsSync(path.join(this.dir, 'README.md'))
      )
        all.push('README.md');
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
        .raw([
          'commit',
          '--no-verify',
          '--allow-empty',
          '-m',
          c.message,
          '--',
          ...all,
        ]);
      this.#fresh = false;
      this.#metadata.clear();
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
      const out = await this.#git.raw([
        'rev-parse',
        '--verify',
        '--quiet',
        '--end-of-options',
        `${rev}^{commit}`,
      ]);
      const sha = out.trim();
      if (!/^[0-9a-f]{40}$/.test(sha)) throw new UnresolvableRevisionError(rev);
      return sha;
    } catch {
      throw new UnresolvableRevisionError(rev);
    }
  }

  /** Content of `relPath` at commit `sha`, or undefined when absent. */
  async readAt(sha: string, relPath: string): Promise<string | undefined> {
    const name = `${sha}:${relPath.replace(/^\.?\//, '')}`;
    if (/^[0-9a-f]{40}$/.test(sha)) {
      try {
        const obj = await this.#cat.read(name);
        if (obj)
          return obj.type === 'blob' ? obj.content.toString('utf8') : undefined;
      } catch {
        // fall back to git show below
      }
    }
    try {
      return await this.#git.raw([
        'show',
        `${sha}:${relPath.replace(/^\.?\//, '')}`,
      ]);
    } catch {
      return undefined;
    }
  }

  /** Author, date, message and tags of a commit (cached by SHA). */
  async metadata(revision: string): Promise<CommitMetadata> {
    return this.#metadata.read(revision);
  }

  /** Stops the helper process. */
  close() {
    this.#cat.close();
  }

  /** Current branch ref of HEAD (e.g. refs/heads/main). */
  async headRef(): Promise<string> {
    try {
      const head = fs
        .readFileSync(path.join(this.dir, '.git', 'HEAD'), 'utf8')
        .trim();
      return head.startsWith('ref: ') ? head.slice(5) : 'refs/heads/main';
    } catch {
      return 'refs/heads/main';
    }
  }

  /**
   * Appends many commits in one `git fast-import` run (on the branch HEAD points
   * to), then checks the new paths out into the work tree. Much faster than one
   * `git commit` per seed commit; refuses non-fast-forward updates.
   */
  async importCommits(
    commits: SeedCommit[],
    newPaths: string[],
  ): Promise<void> {
    if (commits.length === 0) return;
    await this.#exclusive(async () => {
      const ref = await this.headRef();
      const hadCommits = await this.hasCommits();
      const readme = path.join(this.dir, 'README.md');
      const extra: Record<string, string> =
        !hadCommits && fs.existsSync(readme)
          ? { 'README.md': fs.readFileSync(readme, 'utf8') }
          : {};
      await runFastImport(
        this.dir,
        fastImportStream(commits, ref, hadCommits, extra),
      );
      this.#fresh = false;
      this.#metadata.clear();
      this.#hasCommits = true;
      // thousands of seeded tags as loose files make every `git tag --points-at` read them all
      await this.#git.raw(['pack-refs', '--all']);
      if (!hadCommits) {
        await this.#git.raw(['reset', '-q', '--hard', 'HEAD']);
      } else if (newPaths.length) {
        await this.#git.raw(['checkout', 'HEAD', '--', ...newPaths]);
      }
    });
  }

  /** Commits touching each of `dirs` (newest first, up to `max` each) in one `git log`. */
  async logByDir(
    dirs: string[],
    max: number,
  ): Promise<Map<string, LogEntry[]>> {
    if (!dirs.length || !(await this.hasCommits()))
      return new Map<string, LogEntry[]>(dirs.map(d => [d, []]));
    // One pathspec per top-level folder: git matches every pathspec against
    // every changed path of every commit, so thousands of app folders as
    // pathspecs cost (commits x folders); the folders are picked out after.
    const tops = [...new Set(dirs.map(d => d.split('/')[0]))];
    const out = await this.#git.raw([
      'log',
      '--format=>%H %aI %ae',
      '--name-only',
      'HEAD',
      '--',
      ...tops,
    ]);
    return parseLogByDir(out, dirs, max);
  }

  /** SHAs of commits touching `relPath`, newest first (up to `max`). */
  async log(
    relPath: string,
    max: number,
  ): Promise<{ sha: string; date: string }[]> {
    if (!(await this.hasCommits())) return [];
    const out = await this.#git.raw([
      'log',
      `--max-count=${max}`,
      '--format=%H %aI',
      'HEAD',
      '--',
      relPath,
    ]);
    return parseLog(out);
  }
}
