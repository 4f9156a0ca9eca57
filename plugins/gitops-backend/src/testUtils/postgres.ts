/*
 * Throwaway PostgreSQL 15 for tests (no Docker): initdb + pg_ctl in a temp
 * dir on a free port, run as the `postgres` user when we are root.
 *
 * Usage in a test file: call it BEFORE `TestDatabases.create(...)` and
 * register the stop AFTER it (so TestDatabases can drop its databases first):
 *
 *   const pg = ensurePostgres();
 *   const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
 *   afterAll(() => pg.stop());
 *
 * When BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is already set
 * (e.g. by the root `npm test`), it is reused and nothing is started.
 * The server binaries are taken from PATH, else `pg_config --bindir`, else
 * /usr/lib/postgresql/<version>/bin (Debian; 15 preferred).
 * When PostgreSQL cannot be started:
 * - under CI (`CI` set) it throws, so the test file FAILS with the reason;
 * - otherwise it prints that the PostgreSQL tests of the file are skipped and
 *   returns no connection string (TestDatabases then leaves POSTGRES_15 out).
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

export const POSTGRES15_ENV =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/** @internal */
export interface TestPostgres {
  connectionString?: string;
  /** Whether this helper started the server (and so stops it). */
  started: boolean;
  stop(): void;
}

function asPostgres(cmd: string, args: string[]) {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]]
    : [cmd, args];
  // cwd: the postgres user may not be allowed into the test's working directory
  return execFileSync(file, argv, {
    stdio: 'pipe',
    encoding: 'utf8',
    cwd: os.tmpdir(),
  });
}

function freePort(): number {
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close();});",
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim());
}

function runs(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Directory of initdb and pg_ctl ('' when they are on PATH), or undefined.
 * @internal
 */
export function findPostgresBinDir(): string | undefined {
  if (runs('initdb', ['--version']) && runs('pg_ctl', ['--version'])) {
    return '';
  }
  const has = (dir: string) =>
    fs.existsSync(path.join(dir, 'initdb')) &&
    fs.existsSync(path.join(dir, 'pg_ctl'));
  try {
    const dir = execFileSync('pg_config', ['--bindir'], {
      stdio: 'pipe',
      encoding: 'utf8',
    }).trim();
    if (dir && has(dir)) return dir;
  } catch {
    // no pg_config
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .sort((a, b) => Number(b) - Number(a) || b.localeCompare(a))
    : [];
  for (const v of ['15', ...versions]) {
    const dir = path.join(root, v, 'bin');
    if (has(dir)) return dir;
  }
  return undefined;
}

function unavailable(reason: string): TestPostgres {
  const what = `PostgreSQL 15 for the tests is not available: ${reason}. Install PostgreSQL (Debian: apt-get install postgresql-15) or set ${POSTGRES15_ENV}.`;
  if (process.env.CI) {
    throw new Error(
      `${what} Under CI the PostgreSQL tests must run, so this file fails.`,
    );
  }
  // eslint-disable-next-line no-console
  console.warn(
    `[postgres] SKIPPED the PostgreSQL tests of this file (outside CI): ${what}`,
  );
  return { started: false, stop: () => {} };
}

/**
 * Makes sure POSTGRES_15 is available to `TestDatabases` (synchronously, so
 * it can run before `TestDatabases.create` at module level).
 *
 * @internal
 */
export function ensurePostgres(): TestPostgres {
  const existing = process.env[POSTGRES15_ENV];
  if (existing) {
    return { connectionString: existing, started: false, stop: () => {} };
  }
  const binDir = findPostgresBinDir();
  if (binDir === undefined) {
    return unavailable(
      'initdb/pg_ctl not found on PATH, in `pg_config --bindir` or /usr/lib/postgresql/*/bin',
    );
  }
  const bin = (name: string) => (binDir ? path.join(binDir, name) : name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-pg-'));
  const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    if (process.getuid?.() === 0) {
      if (!runs('id', ['postgres'])) {
        execFileSync('useradd', ['--system', '--no-create-home', 'postgres']);
      }
      execFileSync('chown', ['postgres', dir]);
    }
  } catch (e) {
    cleanUp();
    return unavailable(`cannot prepare ${dir} for the postgres user (${e})`);
  }
  const data = path.join(dir, 'data');
  try {
    initdb(bin('initdb'), data);
  } catch (e) {
    cleanUp();
    return unavailable(`initdb failed (${failure(e)})`);
  }
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = freePort();
    try {
      asPostgres(bin('pg_ctl'), [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
        '-w',
        'start',
      ]);
      break;
    } catch (e) {
      if (attempt >= 2) {
        const log = fs.existsSync(path.join(dir, 'server.log'))
          ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000)
          : '';
        cleanUp();
        return unavailable(`pg_ctl start failed (${failure(e)}) ${log}`);
      }
    }
  }
  return running(bin, data, dir, port);
}

function failure(e: unknown): string {
  const err = e as { stderr?: string; message?: string };
  return String(err.stderr || err.message || e).trim();
}

function initdb(initdbPath: string, data: string) {
  asPostgres(initdbPath, [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
}

function running(
  bin: (name: string) => string,
  data: string,
  dir: string,
  port: number,
): TestPostgres {
  const connectionString = `postgresql://postgres:unused@127.0.0.1:${port}`;
  process.env[POSTGRES15_ENV] = connectionString;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    } finally {
      delete process.env[POSTGRES15_ENV];
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // Do not leak the server when the test process ends early (timeout, Ctrl-C).
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }
  return { connectionString, started: true, stop };
}
