/*
 * A real image registry for tests: Debian's `docker-registry` (distribution
 * 2.8) started by the repository's scripts/lib/registry.sh on a free port with
 * its own storage, optionally behind HTTP basic auth (htpasswd) or bearer
 * tokens (the registry's `auth.token`: a token server of this file signs RS256
 * JWTs with a throwaway certificate made by openssl).
 *
 * When the binary is missing:
 * - under CI (`CI` set) `startTestRegistry` throws, so the test file FAILS
 *   with the reason (`npm test` installs the package first);
 * - otherwise it prints why the registry tests are skipped and returns
 *   undefined (callers then use `describe.skip`-free guards: see usage).
 */
import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const SCRIPT = path.join(REPO_ROOT, 'scripts/lib/registry.sh');

/** Fixed test account of the htpasswd and token registries (local only). */
export const TEST_USER = 'ci';
export const TEST_PASSWORD = 'local-test-password';
/** bcrypt (cost 4) of TEST_PASSWORD, as the registry's htpasswd wants it. */
const TEST_PASSWORD_BCRYPT =
  '$2b$04$mLhLRBmwzV6y5//0u9BcX.i.JbvmwsJ.xetlpcRiI.fC1Lbed86tq';
export const TOKEN_SERVICE = 'test-registry';
const TOKEN_ISSUER = 'test-token-issuer';

/** @internal */
export interface TestRegistry {
  url: string;
  auth: 'none' | 'basic' | 'token';
  /** Requests the token server answered (token registries). */
  tokenRequests: Array<{ scope?: string; service?: string; basic: boolean }>;
  /** An `Authorization` value that may push and pull everything. */
  pushAuthorization(repository: string): string | undefined;
  stop(): Promise<void>;
}

/** Whether the registry binary is on PATH. @internal */
export function registryBinaryFound(): boolean {
  try {
    execFileSync('bash', ['-c', 'command -v docker-registry'], {
      stdio: 'pipe',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why registry tests cannot run here, or undefined when they can. Under CI a
 * missing binary throws (the file fails); outside CI it prints the reason.
 * @internal
 */
export function registryUnavailable(): string | undefined {
  if (registryBinaryFound()) return undefined;
  const what =
    "docker-registry is not installed (Debian package docker-registry; `npm test` and `npm start` install it through scripts/lib/registry.sh's ensure_registry)";
  if (process.env.CI) {
    throw new Error(
      `${what}. Under CI the registry tests must run, so this file fails.`,
    );
  }
  // eslint-disable-next-line no-console
  console.warn(
    `[registry] SKIPPED the real-registry tests of this file (outside CI): ${what}`,
  );
  return what;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function tokenServer(dir: string) {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      `/CN=${TOKEN_ISSUER}`,
    ],
    { stdio: 'pipe' },
  );
  const key = crypto.createPrivateKey(
    fs.readFileSync(path.join(dir, 'key.pem')),
  );
  const der = new crypto.X509Certificate(
    fs.readFileSync(path.join(dir, 'cert.pem')),
  ).raw;
  const sign = (scope: string | undefined, expiresIn: number) => {
    const access = (scope ?? '')
      .split(' ')
      .filter(Boolean)
      .map(s => {
        const [type, name, actions] = s.split(':');
        return { type, name, actions: actions.split(',') };
      });
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(
      JSON.stringify({
        typ: 'JWT',
        alg: 'RS256',
        x5c: [der.toString('base64')],
      }),
    );
    const payload = b64url(
      JSON.stringify({
        iss: TOKEN_ISSUER,
        sub: TEST_USER,
        aud: TOKEN_SERVICE,
        exp: now + expiresIn,
        nbf: now - 10,
        iat: now,
        jti: crypto.randomUUID(),
        access,
      }),
    );
    const sig = crypto.sign('sha256', Buffer.from(`${header}.${payload}`), key);
    return `${header}.${payload}.${b64url(sig)}`;
  };
  const requests: TestRegistry['tokenRequests'] = [];
  const expected = `Basic ${Buffer.from(
    `${TEST_USER}:${TEST_PASSWORD}`,
  ).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const auth = req.headers.authorization;
    requests.push({
      scope: u.searchParams.get('scope') ?? undefined,
      service: u.searchParams.get('service') ?? undefined,
      basic: !!auth,
    });
    if (u.pathname !== '/token' || auth !== expected) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"details":"bad credentials"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        token: sign(u.searchParams.get('scope') ?? undefined, 300),
        expires_in: 300,
        issued_at: new Date().toISOString(),
      }),
    );
  });
  return { server, requests, sign };
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/**
 * Starts a registry (see the file comment). Call `registryUnavailable()`
 * first; this throws when the registry cannot start.
 * @internal
 */
export async function startTestRegistry(
  auth: TestRegistry['auth'] = 'none',
): Promise<TestRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-test-registry-'));
  let authFile = '';
  let token: ReturnType<typeof tokenServer> | undefined;
  if (auth === 'basic') {
    fs.writeFileSync(
      path.join(dir, 'htpasswd'),
      `${TEST_USER}:${TEST_PASSWORD_BCRYPT}\n`,
    );
    authFile = path.join(dir, 'auth.yml');
    fs.writeFileSync(
      authFile,
      `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${path.join(
        dir,
        'htpasswd',
      )}\n`,
    );
  } else if (auth === 'token') {
    token = tokenServer(dir);
    const port = await listen(token.server);
    authFile = path.join(dir, 'auth.yml');
    fs.writeFileSync(
      authFile,
      `auth:\n  token:\n    realm: http://127.0.0.1:${port}/token\n    service: ${TOKEN_SERVICE}\n    issuer: ${TOKEN_ISSUER}\n    rootcertbundle: ${path.join(
        dir,
        'cert.pem',
      )}\n`,
    );
  }
  let out: string;
  try {
    out = execFileSync(
      'bash',
      [
        '-c',
        'source "$0" && registry_start "$1" "" "$2" >&2 && echo "$GITOPS_REGISTRY_URL $GITOPS_REGISTRY_PID"',
        SCRIPT,
        path.join(dir, 'registry'),
        authFile,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();
  } catch (e) {
    token?.server.close();
    fs.rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: string; message?: string };
    throw new Error(
      `the test registry did not start: ${String(
        err.stderr || err.message,
      ).trim()}`,
    );
  }
  const [url, pidText] = out.split(' ');
  const pid = Number(pidText);
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  return {
    url,
    auth,
    tokenRequests: token?.requests ?? [],
    pushAuthorization(repository) {
      if (auth === 'basic')
        return `Basic ${Buffer.from(`${TEST_USER}:${TEST_PASSWORD}`).toString(
          'base64',
        )}`;
      if (token)
        return `Bearer ${token.sign(
          `repository:${repository}:pull,push`,
          300,
        )}`;
      return undefined;
    },
    async stop() {
      stopSync();
      process.removeListener('exit', stopSync);
      if (token) await new Promise(r => token!.server.close(() => r(null)));
    },
  };
}
