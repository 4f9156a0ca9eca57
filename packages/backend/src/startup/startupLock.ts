/*
 * One backend at a time through its start, per database server and table
 * prefix: a PostgreSQL session advisory lock taken before any plugin is
 * initialised and released once every plugin has started.
 *
 * Why: Backstage's own plugins run their first migrations at start (knex
 * migrations, CREATE TABLE ...). Two replicas starting at the same moment on
 * one empty database race there: one of them gets `Migration table is already
 * locked` or `duplicate key value violates unique constraint
 * "pg_type_typname_nsp_index"` and never finishes starting. With the lock the
 * second replica waits, then finds the migrations done.
 *
 * A session lock dies with its connection, so a replica that crashes or is
 * killed while starting never blocks the others.
 */
import { Config } from '@backstage/config';

/** The part of node-postgres used here (`pg` ships no type declarations). */
export interface ClientConfig {
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  ssl?: unknown;
}
interface PgClient {
  connect(): Promise<void>;
  query(
    sql: string,
    params: unknown[],
  ): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require('pg') as {
  Client: new (config: ClientConfig) => PgClient;
};

/** What a starting backend holds; `release` is idempotent. */
export interface StartupLock {
  /** Whether a lock is really held (false for non-PostgreSQL databases). */
  readonly held: boolean;
  release(): Promise<void>;
}

const NO_LOCK: StartupLock = { held: false, release: async () => {} };

/** Backstage's default table prefix for per-plugin databases. */
const DEFAULT_PREFIX = 'backstage_plugin_';

/**
 * The lock's name: replicas of one deployment share the database server and
 * the prefix; other Backstage instances on the same server (other prefix) do
 * not wait for each other.
 */
export function startupLockName(databaseConfig: Config): string {
  const prefix = databaseConfig.getOptionalString('prefix') ?? DEFAULT_PREFIX;
  return `backstage-startup:${prefix}`;
}

/**
 * Connection settings for the lock's own session, from `backend.database`.
 * Advisory locks are per database, so every replica must connect to the same
 * one: the configured `connection.database`, else `postgres` (the database
 * Backstage itself uses to create the per-plugin databases).
 *
 * @returns undefined when the backend does not use PostgreSQL.
 */
export function lockConnectionConfig(
  databaseConfig: Config,
): ClientConfig | undefined {
  if (databaseConfig.getOptionalString('client') !== 'pg') {
    return undefined;
  }
  const connection = databaseConfig.getOptional('connection');
  if (typeof connection === 'string') {
    const url = new URL(connection);
    if (url.pathname === '' || url.pathname === '/') {
      url.pathname = '/postgres';
    }
    return { connectionString: url.toString() };
  }
  const c = databaseConfig.getOptionalConfig('connection');
  if (!c) {
    return { database: 'postgres' };
  }
  const connectionString = c.getOptionalString('connectionString');
  return {
    ...(connectionString ? { connectionString } : {}),
    host: c.getOptionalString('host'),
    port: c.has('port') ? Number(c.get('port')) : undefined,
    user: c.getOptionalString('user'),
    password: c.getOptionalString('password'),
    database: c.getOptionalString('database') ?? 'postgres',
    ssl: c.getOptional('ssl'),
  };
}

/**
 * Takes the startup lock for the backend configured by `backend.database`,
 * waiting while another replica holds it.
 */
export async function acquireStartupLock(options: {
  databaseConfig: Config;
  log: (message: string) => void;
}): Promise<StartupLock> {
  const { databaseConfig, log } = options;
  const clientConfig = lockConnectionConfig(databaseConfig);
  if (!clientConfig) {
    return NO_LOCK;
  }
  const name = startupLockName(databaseConfig);
  const client = new Client(clientConfig);
  // A lost connection releases the lock; nothing to do but not crash.
  client.on('error', () => {});
  await client.connect();
  try {
    const sql = (fn: string) =>
      `SELECT ${fn}(hashtextextended($1::text, 0)) AS ok`;
    const tried = await client.query(sql('pg_try_advisory_lock'), [name]);
    if (tried.rows[0].ok !== true) {
      log(
        `waiting for another backend to finish starting (PostgreSQL advisory lock "${name}")`,
      );
      await client.query(sql('pg_advisory_lock'), [name]);
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  let released: Promise<void> | undefined;
  return {
    held: true,
    release(): Promise<void> {
      if (released) return released;
      released = client
        .query('SELECT pg_advisory_unlock(hashtextextended($1::text, 0))', [
          name,
        ])
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => client.end().catch(() => {}));
      return released;
    },
  };
}
