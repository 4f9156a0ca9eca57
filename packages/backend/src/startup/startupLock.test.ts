import { ConfigReader } from '@backstage/config';
import { acquireStartupLock, lockConnectionConfig } from './startupLock';

const POSTGRES15_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

describe('lockConnectionConfig', () => {
  it('takes no lock for SQLite', () => {
    expect(
      lockConnectionConfig(
        new ConfigReader({ client: 'better-sqlite3', connection: ':memory:' }),
      ),
    ).toBeUndefined();
  });

  it('uses the postgres database when a connection string names none', () => {
    expect(
      lockConnectionConfig(
        new ConfigReader({
          client: 'pg',
          connection: 'postgresql://u:p@db.example.org:5433',
        }),
      ),
    ).toEqual({
      connectionString: 'postgresql://u:p@db.example.org:5433/postgres',
    });
  });

  it('keeps the database of a connection object', () => {
    expect(
      lockConnectionConfig(
        new ConfigReader({
          client: 'pg',
          connection: {
            host: 'db',
            port: '5433',
            user: 'u',
            password: 'p',
            database: 'shared',
          },
        }),
      ),
    ).toEqual({
      host: 'db',
      port: 5433,
      user: 'u',
      password: 'p',
      database: 'shared',
      ssl: undefined,
    });
  });
});

const connectionString = process.env[POSTGRES15_ENV];
if (!connectionString && process.env.CI) {
  throw new Error(
    `${POSTGRES15_ENV} is not set: under CI the startup lock must be tested on PostgreSQL (npm test starts one; see scripts/postgres.sh)`,
  );
}

if (!connectionString) {
  // eslint-disable-next-line no-console
  console.warn(
    `[startupLock.test] SKIPPED the PostgreSQL tests: ${POSTGRES15_ENV} is not set (npm test sets it)`,
  );
  it.todo('startup lock on PostgreSQL (needs PostgreSQL 15)');
} else {
  describe('acquireStartupLock on PostgreSQL', () => {
    const config = (prefix: string) =>
      new ConfigReader({ client: 'pg', prefix, connection: connectionString });
    const log = () => {};

    it('lets a second backend start only after the first released the lock', async () => {
      const events: string[] = [];
      const first = await acquireStartupLock({
        databaseConfig: config('lock_a_'),
        log,
      });
      events.push('first acquired');
      const waiting: string[] = [];
      const second = acquireStartupLock({
        databaseConfig: config('lock_a_'),
        log: m => waiting.push(m),
      }).then(lock => {
        events.push('second acquired');
        return lock;
      });
      // the second session is blocked in pg_advisory_lock once it logged so
      await new Promise<void>(resolve => {
        const poll = () => (waiting.length ? resolve() : setTimeout(poll, 20));
        poll();
      });
      expect(waiting[0]).toMatch(/waiting for another backend/);
      events.push('first releasing');
      await first.release();
      const lock = await second;
      await lock.release();
      expect(events).toEqual([
        'first acquired',
        'first releasing',
        'second acquired',
      ]);
      expect(first.held && lock.held).toBe(true);
    });

    it('does not make backends with another table prefix wait', async () => {
      const a = await acquireStartupLock({
        databaseConfig: config('lock_b_'),
        log,
      });
      const waiting: string[] = [];
      const b = await acquireStartupLock({
        databaseConfig: config('lock_c_'),
        log: m => waiting.push(m),
      });
      expect(waiting).toEqual([]);
      await Promise.all([a.release(), b.release()]);
    });

    it('is released when the holding session ends (a crashed replica)', async () => {
      const a = await acquireStartupLock({
        databaseConfig: config('lock_d_'),
        log,
      });
      await a.release();
      await a.release(); // idempotent
      const waiting: string[] = [];
      const b = await acquireStartupLock({
        databaseConfig: config('lock_d_'),
        log: m => waiting.push(m),
      });
      expect(waiting).toEqual([]);
      await b.release();
    });
  });
}
