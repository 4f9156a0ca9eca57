import os from 'node:os';
import path from 'node:path';
import { Config } from '@backstage/config';
import { GitopsConfigError } from '../config/errors';
import { URL_CREDENTIALS_REFUSED } from '../config/urlCredentials';
import { GitRepositoryConfig } from './GitWriteBack';
import { GitIdentity } from './GitRepository';

/** `environments[].writeBack` of a pipeline environment. @internal */
export type WriteBackSpec =
  | {
      method: 'git';
      /** Name from `gitops.git.repositories`. */
      repository: string;
      /** Values file template with `{app}`, `{env}`, `{appName}`. */
      path: string;
      /** Dot path of the tag in the values file, e.g. `image.tag`. */
      key: string;
    }
  | {
      method: 'argocd';
      /** Helm parameter name, e.g. `image.tag`. */
      parameter: string;
    };

/** `gitops.git`. @internal */
export interface GitSettings {
  repositories: GitRepositoryConfig[];
  workDir: string;
  /** true when `workDir` is the per-process default (removed at shutdown). */
  temporaryWorkDir: boolean;
  committer: GitIdentity;
  maxPushAttempts: number;
}

const DEFAULT_COMMITTER: GitIdentity = {
  name: 'Backstage GitOps',
  email: 'gitops@backstage.invalid',
};

/**
 * Reads `gitops.git`. Local repository paths are resolved against the
 * backend's working directory (the embedded default
 * `../../.gitops-data/gitops-repo` is the repo-root data dir when the backend
 * runs from `packages/backend`). The work dir defaults to a per-process
 * directory under the OS temp dir: clones are caches, re-created when absent.
 *
 * @internal
 */
export function readGitSettings(
  config: Config,
  cwd = process.cwd(),
): GitSettings {
  const git = config.getOptionalConfig('gitops.git');
  const repos = git?.getOptionalConfigArray('repositories') ?? [];
  const repositories = repos.map((r, i) => {
    const key = `gitops.git.repositories[${i}]`;
    const name = r.getString('name');
    const url = r.getString('url');
    const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
    if (isUrl && !/^(https?|ssh|file):\/\//i.test(url)) {
      throw new GitopsConfigError(
        `${key}.url`,
        `unsupported scheme in '${url}' (use https, ssh, file or a local path)`,
      );
    }
    // ssh://git@host is a user name, not a secret; a password or an http(s) user is.
    const parsed = isUrl && URL.canParse(url) ? new URL(url) : undefined;
    if (
      parsed &&
      (parsed.password ||
        (parsed.username && /^https?:$/.test(parsed.protocol)))
    ) {
      throw new GitopsConfigError(`${key}.url`, URL_CREDENTIALS_REFUSED);
    }
    return {
      name,
      url: isUrl ? url : path.resolve(cwd, url),
      branch: r.getOptionalString('branch') ?? 'main',
    };
  });
  const names = new Set<string>();
  for (const r of repositories) {
    if (names.has(r.name)) {
      throw new GitopsConfigError(
        'gitops.git.repositories',
        `repository name '${r.name}' is used twice`,
      );
    }
    names.add(r.name);
  }
  const workDirRaw = git?.getOptionalString('workDir');
  const workDir = workDirRaw
    ? path.resolve(cwd, workDirRaw)
    : path.join(os.tmpdir(), `backstage-gitops-git-${process.pid}`);
  const maxPushAttempts = git?.getOptionalNumber('maxPushAttempts') ?? 5;
  if (!Number.isInteger(maxPushAttempts) || maxPushAttempts < 1) {
    throw new GitopsConfigError(
      'gitops.git.maxPushAttempts',
      'must be a positive integer',
    );
  }
  const committer: GitIdentity = {
    name: git?.getOptionalString('committer.name') ?? DEFAULT_COMMITTER.name,
    email: git?.getOptionalString('committer.email') ?? DEFAULT_COMMITTER.email,
  };
  return {
    repositories,
    workDir,
    temporaryWorkDir: !workDirRaw,
    committer,
    maxPushAttempts,
  };
}

/**
 * Reads an environment's `writeBack` block; undefined when absent (the
 * environment then only takes `sync` changes and Argo CD history rollbacks).
 *
 * @param env - the environment's raw config block
 * @param configPath - e.g. `gitops.pipelines.standard.environments[2]`
 * @param repositories - names from `gitops.git.repositories`
 * @internal
 */
export function readWriteBackSpec(
  env: Config,
  configPath: string,
  repositories: string[],
): WriteBackSpec | undefined {
  const wb = env.getOptionalConfig('writeBack');
  if (!wb) return undefined;
  const key = `${configPath}.writeBack`;
  const method = wb.getString('method');
  if (method === 'git') {
    const repository = wb.getString('repository');
    if (!repositories.includes(repository)) {
      throw new GitopsConfigError(
        `${key}.repository`,
        `repository '${repository}' is not defined under gitops.git.repositories (defined: ${
          repositories.join(', ') || 'none'
        })`,
      );
    }
    const file = wb.getString('path');
    for (const p of file.match(/\{[^}]*\}/g) ?? []) {
      if (!['{app}', '{env}', '{appName}'].includes(p)) {
        throw new GitopsConfigError(
          `${key}.path`,
          `unknown placeholder ${p}; use {app}, {env} or {appName}`,
        );
      }
    }
    if (path.isAbsolute(file) || file.split('/').includes('..')) {
      throw new GitopsConfigError(
        `${key}.path`,
        'must be a relative path inside the repository',
      );
    }
    const k = wb.getOptionalString('key') ?? 'image.tag';
    if (k.split('.').some(s => !s.trim())) {
      throw new GitopsConfigError(
        `${key}.key`,
        `'${k}' must be dot-separated names, e.g. image.tag`,
      );
    }
    return { method: 'git', repository, path: file, key: k };
  }
  if (method === 'argocd') {
    return {
      method: 'argocd',
      parameter: wb.getOptionalString('parameter') ?? 'image.tag',
    };
  }
  throw new GitopsConfigError(
    `${key}.method`,
    `'${method}' is not a write-back method (use git or argocd)`,
  );
}

/** Fills `{app}`, `{env}`, `{appName}` in a values file path. @internal */
export function valuesFilePath(
  template: string,
  vars: { app?: string; env: string; appName: string },
): string {
  return template
    .replace(/\{app\}/g, vars.app ?? vars.appName)
    .replace(/\{env\}/g, vars.env)
    .replace(/\{appName\}/g, vars.appName);
}
