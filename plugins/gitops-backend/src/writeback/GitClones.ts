import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { resolveGitCredentials } from './gitCredentials';
import { gitAt, inheritedGitEnv } from './gitEnv';
import { GitIdentity, GitRepository } from './GitRepository';

/** One GitOps repository from `gitops.git.repositories`. @internal */
export interface GitRepositoryConfig {
  name: string;
  /** https URL, or an absolute local path. */
  url: string;
  branch: string;
}

/** Options of {@link GitClones}. @internal */
export interface GitClonesOptions {
  repositories: GitRepositoryConfig[];
  /** Parent directory of the working clones. */
  workDir: string;
  committer: GitIdentity;
  integrations: ScmIntegrationRegistry;
  logger: LoggerService;
}

/**
 * The working clones of the configured GitOps repositories: one per
 * repository under `workDir` (named by repository, URL and branch), with
 * the credentials of the matching integration; a local non-bare remote is
 * made to accept pushes to its checked-out branch.
 *
 * @internal
 */
export class GitClones {
  readonly #opts: GitClonesOptions;
  readonly #repos = new Map<string, Promise<GitRepository>>();

  constructor(opts: GitClonesOptions) {
    this.#opts = opts;
  }

  /** One working clone per repository, created once even under concurrent calls. */
  get(name: string): Promise<GitRepository> {
    let repo = this.#repos.get(name);
    if (!repo) {
      repo = this.#openRepo(name);
      this.#repos.set(name, repo);
      repo.catch(() => this.#repos.delete(name));
    }
    return repo;
  }

  async #openRepo(name: string): Promise<GitRepository> {
    const cfg = this.#opts.repositories.find(r => r.name === name);
    if (!cfg) {
      throw new Error(
        `unknown git repository '${name}' (configure it under gitops.git.repositories)`,
      );
    }
    const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(cfg.url);
    const nonBare = local && (await this.#prepareLocalRemote(cfg.url));
    const credentials = await resolveGitCredentials(
      this.#opts.integrations,
      cfg.url,
    );
    const id = crypto
      .createHash('sha256')
      .update(`${cfg.url}#${cfg.branch}`)
      .digest('hex')
      .slice(0, 12);
    return GitRepository.open({
      remote: cfg.url,
      branch: cfg.branch,
      dir: path.join(this.#opts.workDir, `${safe(name)}-${id}`),
      credentials,
      committer: this.#opts.committer,
      pushLock: nonBare
        ? path.join(cfg.url, '.git', 'gitops-push.lock')
        : undefined,
    });
  }

  /**
   * A local non-bare repository (the embedded default, which the emulator
   * reads) refuses pushes to its checked-out branch unless
   * `receive.denyCurrentBranch` is `updateInstead`; set it when it is not.
   */
  async #prepareLocalRemote(dir: string): Promise<boolean> {
    const stat = await fs.stat(path.join(dir, '.git')).catch(() => undefined);
    if (stat?.isDirectory()) {
      const g = gitAt(dir).env(inheritedGitEnv());
      const current = (
        await g
          .raw(['config', '--get', 'receive.denyCurrentBranch'])
          .catch(() => '')
      ).trim();
      if (
        current !== 'updateInstead' &&
        current !== 'ignore' &&
        current !== 'false'
      ) {
        // another process may be setting it at the same moment (config.lock)
        await g
          .raw(['config', 'receive.denyCurrentBranch', 'updateInstead'])
          .catch(() => g.raw(['config', '--get', 'receive.denyCurrentBranch']));
        this.#opts.logger.info(
          `set receive.denyCurrentBranch=updateInstead on the local GitOps repository ${dir}`,
        );
      }
    }
    return !!stat?.isDirectory();
  }
}

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]/g, '_');
}
