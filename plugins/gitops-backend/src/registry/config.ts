import { Config } from '@backstage/config';
import { readDurationMs } from '../config/duration';
import {
  collecting,
  ConfigProblems,
  GitopsConfigError,
} from '../config/errors';

/** How the client authenticates to a registry. @internal */
export type RegistryAuthType = 'anonymous' | 'basic' | 'bearer';

/**
 * One container image registry (`gitops.registries[]`). Holds secrets:
 * never serialise it into a response or a log line.
 *
 * @internal
 */
export interface RegistryConfig {
  /** Host (and port) as image references name it, lower case, e.g. `images.example.net`. */
  host: string;
  /** Base URL of its HTTP API v2, without trailing slash (default `https://<host>`). */
  url: string;
  auth: RegistryAuthType;
  username?: string;
  password?: string;
  /** A static bearer token (sent as is; no token endpoint). */
  token?: string;
  timeoutMs: number;
}

/** Default budget of one registry call. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 5_000;

const HOST = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/;

function readUrl(key: string, value: string): string {
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
    throw new GitopsConfigError(
      key,
      "must not contain credentials (user:password@ in the URL); put them in 'username'/'password' or 'token'",
    );
  }
  return value.replace(/\/+$/, '');
}

function readRegistry(c: Config, path: string): RegistryConfig {
  const host = c.getString('host').trim().toLocaleLowerCase('en-US');
  if (!HOST.test(host)) {
    throw new GitopsConfigError(
      `${path}.host`,
      `'${host}' is not a registry host such as images.example.net or images.example.org:5000 (no scheme, no path)`,
    );
  }
  const url = c.has('url')
    ? readUrl(`${path}.url`, c.getString('url'))
    : `https://${host}`;
  const username = c.getOptionalString('username');
  const password = c.getOptionalString('password');
  const token = c.getOptionalString('token');
  if ((username === undefined) !== (password === undefined)) {
    throw new GitopsConfigError(path, `'username' and 'password' go together`);
  }
  if (token && username) {
    throw new GitopsConfigError(
      path,
      "give either 'token' or 'username'/'password', not both",
    );
  }
  const declared = c.getOptionalString('auth');
  if (
    declared !== undefined &&
    !['anonymous', 'basic', 'bearer'].includes(declared)
  ) {
    throw new GitopsConfigError(
      `${path}.auth`,
      `'${declared}' is not one of anonymous, basic, bearer`,
    );
  }
  let auth = declared as RegistryAuthType | undefined;
  if (!auth) {
    if (token) auth = 'bearer';
    else if (username) auth = 'basic';
    else auth = 'anonymous';
  }
  if (auth === 'anonymous' && (token || username)) {
    throw new GitopsConfigError(
      `${path}.auth`,
      'anonymous access takes no credentials; remove them or choose basic or bearer',
    );
  }
  if (auth === 'basic' && !username) {
    throw new GitopsConfigError(
      path,
      "basic auth needs 'username' and 'password'",
    );
  }
  let timeoutMs = DEFAULT_REGISTRY_TIMEOUT_MS;
  if (c.has('timeout')) {
    timeoutMs = readDurationMs(c, 'timeout', path);
    if (!(timeoutMs > 0)) {
      throw new GitopsConfigError(`${path}.timeout`, 'must be longer than 0');
    }
  }
  return {
    host,
    url,
    auth,
    timeoutMs,
    ...(username ? { username, password } : {}),
    ...(token ? { token } : {}),
  };
}

/**
 * Reads `gitops.registries[]`: the container registries whose tags and
 * digests the image checks read. Hosts are unique. Every problem is
 * collected (alone, it throws a {@link GitopsConfigError}).
 *
 * @internal
 */
export function readRegistries(
  config: Config,
  problems?: ConfigProblems,
): RegistryConfig[] {
  return collecting(problems, p => {
    const list =
      p.attempt('gitops.registries', () =>
        config.getOptionalConfigArray('gitops.registries'),
      ) ?? [];
    const out: RegistryConfig[] = [];
    list.forEach((c, i) => {
      const path = `gitops.registries[${i}]`;
      const r = p.attempt(path, () => readRegistry(c, path));
      if (!r) return;
      if (out.some(o => o.host === r.host)) {
        p.add(`${path}.host`, `registry host '${r.host}' is configured twice`);
        return;
      }
      out.push(r);
    });
    return out;
  });
}
