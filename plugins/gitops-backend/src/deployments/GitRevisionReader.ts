import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { SimpleGit } from 'simple-git';
import { GitRepositoryConfig } from '../writeback/GitWriteBack';
import { gitAt, inheritedGitEnv } from '../writeback/GitRepository';
import {
  GitHttpCredentials,
  gitAuthEnv,
  resolveGitCredentials,
} from '../writeback/gitCredentials';

/** Most file contents kept (they are immutable per commit). */
const MAX_ENTRIES = 5_000;
/** A revision not found after a fetch is not fetched for again within this. */
const MISSING_RETRY_MS = 10_000;

/** Reads files of a GitOps repository at a revision. @internal */
export interface RevisionFileReader {
  /**
   * `git show <revision>:<file>`; undefined when the file (or the revision)
   * does not exist. Throws when the repository cannot be read.
   */
  readFile(
    repository: string,
    revision: string,
    file: string,
  ): Promise<string | undefined>;
}

/**
 * Read-only access to the GitOps repositories of `gitops.git.repositories`
 * at any revision, through the real git binary: one bare mirror per
 * repository (separate from the write-back's working clones, so reads never
 * wait for a push), fetched only when a revision is unknown locally. Results
 * are keyed by commit and so cached for good.
 *
 * @internal
 */
export class GitRevisionReader implements RevisionFileReader {
  readonly #repos: Map<string, GitRepositoryConfig>;
  readonly #workDir: string;
  readonly #integrations?: ScmIntegrationRegistry;
  readonly #logger?: LoggerService;
  readonly #cache = new Map<string, Promise<string | undefined>>();
  readonly #mirrors = new Map<string, Promise<SimpleGit>>();
  readonly #fetching = new Map<string, Promise<void>>();
  readonly #missing = new Map<string, number>();

  static create(options: {
    repositories: GitRepositoryConfig[];
    workDir: string;
    integrations?: ScmIntegrationRegistry;
    logger?: LoggerService;
  }): GitRevisionReader {
    return new GitRevisionReader(options);
  }

  private constructor(options: {
    repositories: GitRepositoryConfig[];
    workDir: string;
    integrations?: ScmIntegrationRegistry;
    logger?: LoggerService;
  }) {
    this.#repos = new Map(options.repositories.map(r => [r.name, r]));
    this.#workDir = options.workDir;
    this.#integrations = options.integrations;
    this.#logger = options.logger;
  }

  hasRepository(name: string): boolean {
    return this.#repos.has(name);
  }

  async readFile(
    repository: string,
    revision: string,
    file: string,
  ): Promise<string | undefined> {
    if (!/^[0-9a-f]{7,64}$/i.test(revision)) {
      // Only commits are immutable (and safe to pass to git).
      return undefined;
    }
    if (path.isAbsolute(file) || file.split('/').includes('..')) {
      throw new Error(`path '${file}' leaves the repository`);
    }
    const key = `${repository}\u0000${revision}\u0000${file}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const p = this.#read(repository, revision, file);
    if (this.#cache.size >= MAX_ENTRIES) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(key, p);
    // Failures and "not found yet" are not kept.
    p.then(
      v => v === undefined && this.#cache.delete(key),
      () => this.#cache.delete(key),
    );
    return p;
  }

  async #read(
    repository: string,
    revision: string,
    file: string,
  ): Promise<string | undefined> {
    const git = await this.#mirror(repository);
    if (!(await hasCommit(git, revision))) {
      const missingKey = `${repository}\u0000${revision}`;
      const last = this.#missing.get(missingKey);
      if (last !== undefined && Date.now() - last < MISSING_RETRY_MS) {
        return undefined;
      }
      await this.#fetch(repository, git);
      if (!(await hasCommit(git, revision))) {
        if (this.#missing.size > 10_000) this.#missing.clear();
        this.#missing.set(missingKey, Date.now());
        return undefined;
      }
    }
    try {
      return await git.show([`${revision}:${file}`]);
    } catch {
      return undefined; // the file does not exist at that revision
    }
  }

  #config(name: string): GitRepositoryConfig {
    const r = this.#repos.get(name);
    if (!r) {
      throw new Error(
        `repository '${name}' is not defined under gitops.git.repositories`,
      );
    }
    return r;
  }

  async #credentials(
    r: GitRepositoryConfig,
  ): Promise<GitHttpCredentials | undefined> {
    return this.#integrations
      ? resolveGitCredentials(this.#integrations, r.url)
      : undefined;
  }

  #mirror(name: string): Promise<SimpleGit> {
    let m = this.#mirrors.get(name);
    if (!m) {
      m = this.#openMirror(name);
      this.#mirrors.set(name, m);
      m.catch(() => this.#mirrors.delete(name));
    }
    return m;
  }

  async #openMirror(name: string): Promise<SimpleGit> {
    const r = this.#config(name);
    const id = crypto.createHash('sha256').update(r.url).digest('hex');
    const dir = path.join(this.#workDir, `read-${id.slice(0, 16)}.git`);
    const env = {
      ...inheritedGitEnv(),
      GIT_TERMINAL_PROMPT: '0',
      ...gitAuthEnv(await this.#credentials(r)),
    };
    const exists = await fs
      .stat(path.join(dir, 'HEAD'))
      .then(() => true)
      .catch(() => false);
    if (!exists) {
      await fs.mkdir(dir, { recursive: true });
      await gitAt(dir).env(env).raw(['init', '-q', '--bare']);
      await gitAt(dir).env(env).raw(['remote', 'add', 'origin', r.url]);
    }
    const git = gitAt(dir).env(env);
    await this.#fetch(name, git);
    return git;
  }

  /** One fetch at a time per repository; concurrent callers share it. */
  #fetch(name: string, git: SimpleGit): Promise<void> {
    let f = this.#fetching.get(name);
    if (!f) {
      const r = this.#config(name);
      f = (async () => {
        try {
          await git.raw([
            'fetch',
            '-q',
            '--no-tags',
            'origin',
            `+refs/heads/${r.branch}:refs/heads/${r.branch}`,
          ]);
        } catch (e) {
          // git's message never holds the credentials (they travel in env).
          const msg = String((e as Error).message ?? e).split('\n')[0];
          this.#logger?.warn(
            `git fetch of repository '${name}' failed: ${msg}`,
          );
          throw new Error(`git fetch of repository '${name}' failed`);
        }
      })().finally(() => this.#fetching.delete(name));
      this.#fetching.set(name, f);
    }
    return f;
  }
}

async function hasCommit(git: SimpleGit, revision: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `${revision}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}
