import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { changeMarker } from './commitMessage';
import { findIntroducingCommit, KeyHistoryEntry } from './gitHistory';
import { resolveGitCredentials } from './gitCredentials';
import {
  gitAt,
  GitIdentity,
  GitPushRejectedError,
  GitRepository,
  inheritedGitEnv,
} from './GitRepository';
import { readValuesKey, setValuesKey } from './valuesFile';

/** One GitOps repository from `gitops.git.repositories`. @internal */
export interface GitRepositoryConfig {
  name: string;
  /** https URL, or an absolute local path. */
  url: string;
  branch: string;
}

/** Options of {@link GitWriteBack.create}. @internal */
export interface GitWriteBackOptions {
  repositories: GitRepositoryConfig[];
  /** Parent directory of the working clones. */
  workDir: string;
  committer: GitIdentity;
  integrations: ScmIntegrationRegistry;
  logger: LoggerService;
  /** Attempts of fetch → apply → commit → push on non-fast-forward rejections. */
  maxPushAttempts: number;
}

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
 * `git` write-back: the image updater's job under policy. Sets a key in an
 * environment's values file, keeping comments and layout; commits with a
 * message naming the change; pushes; re-reads and retries on a
 * non-fast-forward rejection. Every commit carries the change marker, so a
 * resumed execution finds its commit instead of committing twice.
 *
 * @internal
 */
export class GitWriteBack {
  readonly #opts: GitWriteBackOptions;
  readonly #repos = new Map<string, Promise<GitRepository>>();

  static create(opts: GitWriteBackOptions): GitWriteBack {
    return new GitWriteBack(opts);
  }

  private constructor(opts: GitWriteBackOptions) {
    this.#opts = opts;
  }

  /** Sets `key` to `value` in `file` and pushes one commit. */
  async setValue(req: {
    repository: string;
    file: string;
    key: string;
    value: string;
    changeId: string;
    message: string;
    author: GitIdentity;
  }): Promise<GitWriteResult> {
    const repo = await this.#repo(req.repository);
    return repo.exclusive(() =>
      this.#withRetries(
        repo,
        async head => {
          const text = await repo.readFile(req.file);
          if (text === undefined) {
            throw new Error(
              `values file '${req.file}' does not exist in repository '${req.repository}'`,
            );
          }
          const edit = setValuesKey(text, req.key, req.value);
          if (!edit.changed) {
            return { commitSha: head, changed: false, previous: edit.previous };
          }
          await repo.writeFile(req.file, edit.text);
          const sha = await repo.commit(req.message, req.author, [req.file]);
          return { commitSha: sha, changed: true, previous: edit.previous };
        },
        req.changeId,
      ),
    );
  }

  /**
   * Reverts the commit that brought the key's current value (or `commitSha`
   * when given). `expect`, when given, must be the value after the revert;
   * otherwise nothing is pushed and the call throws.
   */
  async revert(req: {
    repository: string;
    file: string;
    key: string;
    commitSha?: string;
    expect?: string;
    changeId: string;
    message: (revertedSha: string) => string;
    author: GitIdentity;
  }): Promise<GitWriteResult> {
    const repo = await this.#repo(req.repository);
    return repo.exclusive(() =>
      this.#withRetries(
        repo,
        async () => {
          const text = await repo.readFile(req.file);
          const current =
            text === undefined ? undefined : readValuesKey(text, req.key);
          let target = req.commitSha;
          if (!target) {
            if (current === undefined) {
              throw new Error(
                `'${req.key}' is not set in '${req.file}': nothing to revert`,
              );
            }
            target = (
              await this.#introducingCommit(repo, req.file, req.key, current)
            )?.sha;
            if (!target) {
              throw new Error(
                `no commit in the history of '${req.file}' set ${req.key}=${current}; cannot revert`,
              );
            }
          }
          const sha = await repo.revert(
            target,
            req.author,
            req.message(target),
          );
          const after = readValuesKey(
            (await repo.readFile(req.file)) ?? '',
            req.key,
          );
          if (req.expect !== undefined && after !== req.expect) {
            throw new Error(
              `reverting ${target.slice(0, 12)} would set ${req.key}=${
                after ?? '(unset)'
              }, not ${req.expect}`,
            );
          }
          return {
            commitSha: sha,
            changed: true,
            previous: current,
            revertedSha: target,
          };
        },
        req.changeId,
      ),
    );
  }

  /** The commit of a change on the remote branch, if one was pushed. */
  async findChangeCommit(
    repository: string,
    changeId: string,
  ): Promise<string | undefined> {
    const repo = await this.#repo(repository);
    return repo.exclusive(async () => {
      await repo.syncToRemote();
      return repo.findCommit(changeMarker(changeId));
    });
  }

  /** Whether the remote branch's history contains `sha` as an ancestor of `revision`. */
  async contains(
    repository: string,
    sha: string,
    revision: string,
  ): Promise<boolean> {
    if (sha === revision) return true;
    const repo = await this.#repo(repository);
    return repo.exclusive(async () => {
      await repo.syncToRemote();
      return repo.isAncestor(sha, revision);
    });
  }

  async #introducingCommit(
    repo: GitRepository,
    file: string,
    key: string,
    current: string,
  ) {
    const log = await repo.fileLog(file);
    const entries: KeyHistoryEntry[] = [];
    for (const c of log) {
      const after = await repo.showFile(c.sha, file);
      const before = await repo.showFile(`${c.sha}^`, file);
      entries.push({
        ...c,
        value: after === undefined ? undefined : readValuesKey(after, key),
        parentValue:
          before === undefined ? undefined : readValuesKey(before, key),
      });
      const found = findIntroducingCommit(entries, current);
      if (found) return found;
    }
    return undefined;
  }

  async #withRetries(
    repo: GitRepository,
    apply: (
      head: string,
    ) => Promise<Omit<GitWriteResult, 'reused' | 'attempts'>>,
    changeId: string,
  ): Promise<GitWriteResult> {
    const max = Math.max(1, this.#opts.maxPushAttempts);
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
          this.#opts.logger.info(
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

  /** One working clone per repository, created once even under concurrent calls. */
  #repo(name: string): Promise<GitRepository> {
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
