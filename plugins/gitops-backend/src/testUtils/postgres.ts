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
 * (e.g. by the root `npm test`), it is reused and nothing is started. When
 * the binaries are missing, nothing is started and TestDatabases skips
 * POSTGRES_15 (unless CI is set).
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
  return execFileSync(file, argv, { stdio: 'pipe', encoding: 'utf8' });
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

function hasBinaries(): boolean {
  try {
    execFileSync('pg_ctl', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
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
  if (!hasBinaries()) {
    return { started: false, stop: () => {} };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-pg-'));
  if (process.getuid?.() === 0) {
    execFileSync('chown', ['postgres:postgres', dir]);
  }
  const data = path.join(dir, 'data');
  asPostgres('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
  ]);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = freePort();
    try {
      asPostgres('pg_ctl', [
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
      if (attempt >= 2) throw e;
    }
  }
  const connectionString = `postgresql://postgres:unused@127.0.0.1:${port}`;
  process.env[POSTGRES15_ENV] = connectionString;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
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
