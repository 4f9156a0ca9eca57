import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import {
  collecting,
  ConfigProblems,
  GitopsConfigError,
} from '../config/errors';
import { URL_CREDENTIALS_REFUSED } from '../config/urlCredentials';

export { GitopsConfigError } from '../config/errors';

/**
 * One Argo CD instance, as read from config. Holds secrets: never serialise it
 * into a response or a log line.
 *
 * @public
 */
export interface ArgoCdInstanceConfig {
  name: string;
  /** API base URL without trailing slash. */
  url: string;
  /** Base URL for links shown to people (defaults to `url`). */
  externalUrl: string;
  token?: string;
  username?: string;
  password?: string;
  /** Budget for one call, retries included, in milliseconds. */
  timeoutMs: number;
  /** Upper bound on parallel calls to this instance. */
  concurrency: number;
}

/** Default per-call budget. */
export const DEFAULT_ARGOCD_TIMEOUT_MS = 10_000;
/** Default per-instance parallelism. */
export const DEFAULT_ARGOCD_CONCURRENCY = 8;

function normaliseUrl(key: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new GitopsConfigError(key, `'${value}' is not an absolute URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new GitopsConfigError(key, 'only http and https URLs are supported');
  }
  if (parsed.username || parsed.password) {
    throw new GitopsConfigError(key, URL_CREDENTIALS_REFUSED);
  }
  return value.replace(/\/+$/, '');
}

function readInstance(
  c: Config,
  path: string,
  externalUrlKey: 'externalUrl' | 'frontendUrl',
): ArgoCdInstanceConfig {
  const name = c.getString('name');
  const url = normaliseUrl(`${path}.url`, c.getString('url'));
  const ext =
    c.getOptionalString('externalUrl') ?? c.getOptionalString(externalUrlKey);
  const token = c.getOptionalString('token');
  const username = c.getOptionalString('username');
  const password = c.getOptionalString('password');
  if (!token && !(username && password)) {
    throw new GitopsConfigError(
      path,
      `instance '${name}' needs either 'token' or both 'username' and 'password'`,
    );
  }
  if (!token && (username === undefined) !== (password === undefined)) {
    throw new GitopsConfigError(path, `'username' and 'password' go together`);
  }
  let timeoutMs = DEFAULT_ARGOCD_TIMEOUT_MS;
  if (c.has('timeout')) {
    timeoutMs = readDurationMs(c, 'timeout', path);
    if (!(timeoutMs > 0)) {
      throw new GitopsConfigError(
        `${path}.timeout`,
        'must be a positive duration',
      );
    }
  }
  const concurrency =
    c.getOptionalNumber('concurrency') ?? DEFAULT_ARGOCD_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new GitopsConfigError(
      `${path}.concurrency`,
      'must be a positive integer',
    );
  }
  return {
    name,
    url,
    externalUrl: ext ? normaliseUrl(`${path}.externalUrl`, ext) : url,
    token,
    username: token ? undefined : username,
    password: token ? undefined : password,
    timeoutMs,
    concurrency,
  };
}

/**
 * Reads Argo CD instances from `gitops.argocd.instances[]`, then from the
 * community/Roadie plugin's `argocd.appLocatorMethods[type=config].instances[]`
 * (only names not already declared under `gitops`).
 *
 * @public
 */
export function readArgoCdInstances(
  config: Config,
  problems?: ConfigProblems,
): ArgoCdInstanceConfig[] {
  return collecting(problems, p => readAll(config, p));
}

function readAll(
  config: Config,
  problems: ConfigProblems,
): ArgoCdInstanceConfig[] {
  const result: ArgoCdInstanceConfig[] = [];
  const seen = new Set<string>();
  const add = (inst: ArgoCdInstanceConfig, path: string, strict: boolean) => {
    if (seen.has(inst.name)) {
      if (strict) {
        throw new GitopsConfigError(
          path,
          `duplicate instance name '${inst.name}'`,
        );
      }
      return;
    }
    seen.add(inst.name);
    result.push(inst);
  };

  (config.getOptionalConfigArray('gitops.argocd.instances') ?? []).forEach(
    (c, i) => {
      const path = `gitops.argocd.instances[${i}]`;
      problems.attempt(path, () =>
        add(readInstance(c, path, 'externalUrl'), path, true),
      );
    },
  );

  const methods =
    config.getOptionalConfigArray('argocd.appLocatorMethods') ?? [];
  methods.forEach((m, mi) => {
    if (m.getOptionalString('type') !== 'config') return;
    (m.getOptionalConfigArray('instances') ?? []).forEach((c, i) => {
      const path = `argocd.appLocatorMethods[${mi}].instances[${i}]`;
      // The community plugin also allows global argocd.username/password.
      if (!c.has('token') && !c.has('username')) {
        const u = config.getOptionalString('argocd.username');
        const p = config.getOptionalString('argocd.password');
        if (u && p) {
          result.push(
            ...[readInstanceWithGlobalCreds(c, path, u, p)].filter(x => {
              if (seen.has(x.name)) return false;
              seen.add(x.name);
              return true;
            }),
          );
          return;
        }
      }
      problems.attempt(path, () =>
        add(readInstance(c, path, 'frontendUrl'), path, false),
      );
    });
  });
  return result;
}

function readInstanceWithGlobalCreds(
  c: Config,
  path: string,
  username: string,
  password: string,
): ArgoCdInstanceConfig {
  const base = {
    name: c.getString('name'),
    url: normaliseUrl(`${path}.url`, c.getString('url')),
  };
  const ext =
    c.getOptionalString('externalUrl') ?? c.getOptionalString('frontendUrl');
  return {
    ...base,
    externalUrl: ext ? normaliseUrl(`${path}.externalUrl`, ext) : base.url,
    username,
    password,
    timeoutMs: DEFAULT_ARGOCD_TIMEOUT_MS,
    concurrency: DEFAULT_ARGOCD_CONCURRENCY,
  };
}
