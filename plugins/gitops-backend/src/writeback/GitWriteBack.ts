import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { changeMarker } from './commitMessage';
import { findIntroducingCommit, KeyHistoryEntry } from './gitHistory';
import { GitClones, GitRepositoryConfig } from './GitClones';
import { GitIdentity, GitRepository } from './GitRepository';
import { GitWriteResult, pushWithRetries } from './pushWithRetries';
import { readValuesKey, setValuesKey } from './valuesFile';

export type { GitRepositoryConfig } from './GitClones';
export type { GitWriteResult } from './pushWithRetries';

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
  readonly #clones: GitClones;

  static create(opts: GitWriteBackOptions): GitWriteBack {
    return new GitWriteBack(opts);
  }

  private constructor(opts: GitWriteBackOptions) {
    this.#opts = opts;
    this.#clones = new GitClones(opts);
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
    const repo = await this.#clones.get(req.repository);
    return repo.exclusive(() =>
      pushWithRetries(
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
        this.#opts,
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
    const repo = await this.#clones.get(req.repository);
    return repo.exclusive(() =>
      pushWithRetries(
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
        this.#opts,
      ),
    );
  }

  /** The commit of a change on the remote branch, if one was pushed. */
  async findChangeCommit(
    repository: string,
    changeId: string,
  ): Promise<string | undefined> {
    const repo = await this.#clones.get(repository);
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
    const repo = await this.#clones.get(repository);
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
}
