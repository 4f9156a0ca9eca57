/**
 * The GitOps repository on disk, read and written with real git (simple-git).
 * Layout: apps/<app>/values.yaml + apps/<app>/Chart.yaml on branch `main`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { simpleGit, SimpleGit } from 'simple-git';
import { CatFile } from './CatFile';

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
  /**
   * Commit metadata by SHA, as Argo CD's repo server caches revision metadata;
   * emptied on every write through this class (a write may add a tag).
   */
  readonly #metadataBySha = new Map<string, CommitMetadata>();
  #lock: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
    this.#git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
    this.#cat = new CatFile(dir);
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
      this.#metadataBySha.clear();
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

  /** Author, date, message and tags of a commit. */
  async metadata(revision: string): Promise<CommitMetadata> {
    const cached = this.#metadataBySha.get(revision);
    if (cached) return { ...cached, tags: [...cached.tags] };
    // a full SHA the cat-file process knows as a commit needs no rev-parse
    const known =
      /^[0-9a-f]{40}$/.test(revision) &&
      (await this.#cat.read(revision).catch(() => undefined))?.type ===
        'commit';
    const sha = known ? revision : await this.resolve(revision);
    const parsed = await this.#commitObject(sha);
    const tagsOut = await this.#git.raw(['tag', '--points-at', sha]);
    const tags = tagsOut
      .split('\n')
      .map(t => t.trim())
      .filter(Boolean)
      .sort();
    const metadata: CommitMetadata = { sha, ...parsed, tags };
    this.#metadataBySha.set(sha, metadata);
    return { ...metadata, tags: [...metadata.tags] };
  }

  /** Author, date and message of a commit, from the cat-file process (git show as a fallback). */
  async #commitObject(
    sha: string,
  ): Promise<{ author: string; date: string; message: string }> {
    const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const obj = await this.#cat.read(sha).catch(() => undefined);
    if (obj?.type === 'commit') {
      const text = obj.content.toString('utf8');
      const split = text.indexOf('\n\n');
      const headers = split < 0 ? text : text.slice(0, split);
      const m = /^author (.*) (\d+) [+-]\d{4}$/m.exec(headers);
      if (m)
        return {
          author: m[1],
          date: iso(new Date(Number(m[2]) * 1000)),
          message: (split < 0 ? '' : text.slice(split + 2)).replace(/\n+$/, ''),
        };
    }
    const out = await this.#git.raw([
      'show',
      '-s',
      '--format=%an <%ae>%x00%aI%x00%B',
      sha,
    ]);
    const [author, date, ...rest] = out.split('\u0000');
    return {
      author,
      date: iso(new Date(date)),
      message: rest.join('\u0000').replace(/\n+$/, ''),
    };
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
      const chunks: Buffer[] = [];
      const push = (s: string | Buffer) =>
        chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
      const data = (content: string) => {
        const b = Buffer.from(content, 'utf8');
        push(`data ${b.length}\n`);
        push(b);
        push('\n');
      };
      commits.forEach((c, i) => {
        const when = `${Math.floor(c.date.getTime() / 1000)} +0000`;
        push(`commit ${ref}\nmark :${i + 1}\n`);
        push(`author ${c.author.name} <${c.author.email}> ${when}\n`);
        push(`committer ${c.author.name} <${c.author.email}> ${when}\n`);
        data(c.message.endsWith('\n') ? c.message : `${c.message}\n`);
        if (i === 0 && hadCommits) push(`from ${ref}^0\n`);
        const files = { ...c.files };
        if (
          i === 0 &&
          !hadCommits &&
          fs.existsSync(path.join(this.dir, 'README.md'))
        ) {
          files['README.md'] = fs.readFileSync(
            path.join(this.dir, 'README.md'),
            'utf8',
          );
        }
        for (const [rel, content] of Object.entries(files)) {
          push(`M 100644 inline ${rel}\n`);
          data(content);
        }
        push('\n');
        for (const tag of c.tags ?? [])
          push(`reset refs/tags/${tag}\nfrom :${i + 1}\n\n`);
      });
      await new Promise<void>((resolve, reject) => {
        const proc = spawn(
          'git',
          [
            '-c',
            'fastimport.unpackLimit=1',
            'fast-import',
            '--quiet',
            '--done',
          ],
          { cwd: this.dir, stdio: ['pipe', 'ignore', 'pipe'] },
        );
        let err = '';
        proc.stderr.on('data', d => {
          err += d.toString();
        });
        proc.on('error', reject);
        proc.on('close', code =>
          code === 0
            ? resolve()
            : reject(new Error(`git fast-import failed: ${err.trim()}`)),
        );
        proc.stdin.end(Buffer.concat([...chunks, Buffer.from('done\n')]));
      });
      this.#fresh = false;
      this.#metadataBySha.clear();
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
  ): Promise<
    Map<string, { sha: string; date: string; authorEmail: string }[]>
  > {
    const result = new Map<
      string,
      { sha: string; date: string; authorEmail: string }[]
    >(dirs.map(d => [d, []]));
    if (!dirs.length || !(await this.hasCommits())) return result;
    // One pathspec per top-level folder: git matches every pathspec against
    // every changed path of every commit, so thousands of app folders as
    // pathspecs cost (commits x folders); the folders are picked out below.
    const tops = [...new Set(dirs.map(d => d.split('/')[0]))];
    const out = await this.#git.raw([
      'log',
      '--format=>%H %aI %ae',
      '--name-only',
      'HEAD',
      '--',
      ...tops,
    ]);
    let current: { sha: string; date: string; authorEmail: string } | undefined;
    for (const line of out.split('\n')) {
      if (line.startsWith('>')) {
        const [sha, date, authorEmail = ''] = line.slice(1).split(' ');
        current = { sha, date, authorEmail };
        continue;
      }
      if (!line.trim() || !current) continue;
      // every folder of the changed path that was asked for
      const parts = line.split('/');
      for (let i = 1; i < parts.length; i++) {
        const list = result.get(parts.slice(0, i).join('/'));
        if (
          list &&
          list.length < max &&
          list[list.length - 1]?.sha !== current.sha
        )
          list.push(current);
      }
    }
    return result;
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
    return out
      .split('\n')
      .filter(Boolean)
      .map(l => {
        const [sha, date] = l.split(' ');
        return { sha, date };
      });
  }
}
