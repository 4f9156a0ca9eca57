import { TestDatabases } from '@backstage/backend-test-utils';
import path from 'path';
import { ensurePostgres } from '../testUtils/postgres';
import {
  NewVerificationDecision,
  VerificationStore,
} from './VerificationStore';

const pg = ensurePostgres();
jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const T = (m: number) => new Date(Date.UTC(2026, 10, 24, 10, m));
const input = (
  over: Partial<NewVerificationDecision>,
): NewVerificationDecision => ({
  entityRef: 'component:default/api',
  environment: 'staging',
  version: 'v1.2.0-rc.2',
  decision: 'verified',
  decidedBy: 'user:default/erin',
  claims: ['user:default/erin', 'group:default/qa'],
  now: T(0),
  ...over,
});

describe.each(databases.eachSupportedId())('VerificationStore (%s)', id => {
  it('records, lists newest first, and refuses a second verified naming who decided', async () => {
    const store = await VerificationStore.fromKnex(await databases.init(id));
    const first = await store.record(input({ comment: 'all green' }));
    expect(first).toEqual({
      recorded: {
        id: expect.any(String),
        version: 'v1.2.0-rc.2',
        decision: 'verified',
        decidedBy: 'user:default/erin',
        comment: 'all green',
        decidedAt: T(0).toISOString(),
        round: 0,
      },
    });
    const second = await store.record(
      input({ decidedBy: 'user:default/frank', now: T(5) }),
    );
    expect(second).toMatchObject({
      reason: expect.stringMatching(
        /^v1\.2\.0-rc\.2 was already verified by erin 5 min ago \(all green\)/,
      ),
    });
    // revoke by failed, then a request opens round 1
    await store.record(
      input({ decision: 'failed', comment: 'checkout broken', now: T(10) }),
    );
    await store.record(input({ decision: 'requested', now: T(20) }));
    await store.record(input({ decision: 'verified', now: T(30) }));
    // another environment and version are separate
    await store.record(input({ environment: 'dev', now: T(40) }));
    await store.record(input({ version: 'v1.2.0-rc.3', now: T(41) }));
    const list = await store.list({
      entityRef: 'component:default/api',
      environment: 'staging',
    });
    expect(list.map(d => [d.version, d.decision, d.round])).toEqual([
      ['v1.2.0-rc.3', 'verified', 0],
      ['v1.2.0-rc.2', 'verified', 1],
      ['v1.2.0-rc.2', 'requested', 1],
      ['v1.2.0-rc.2', 'failed', 0],
      ['v1.2.0-rc.2', 'verified', 0],
    ]);
  });

  it('two people deciding at once: one wins, the other is told who', async () => {
    const knex = await databases.init(id);
    const store = await VerificationStore.fromKnex(knex);
    const results = await Promise.all(
      ['erin', 'frank', 'gina', 'hal'].map(u =>
        store.record(input({ decidedBy: `user:default/${u}` })),
      ),
    );
    const won = results.filter(r => 'recorded' in r);
    expect(won).toHaveLength(1);
    const winner = (won[0] as any).recorded.decidedBy.split('/')[1];
    for (const r of results.filter(x => !('recorded' in x))) {
      expect((r as any).reason).toContain(`already verified by ${winner}`);
    }
    const rows = await knex('gitops_verification_decisions');
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].decided_by_claims)).toContain('group:default/qa');
  });

  it('the migration steps up and down', async () => {
    const knex = await databases.init(id);
    const dir = path.resolve(__dirname, '../../migrations');
    await VerificationStore.fromKnex(knex);
    expect(await knex.schema.hasTable('gitops_verification_decisions')).toBe(
      true,
    );
    await knex.migrate.down({
      directory: dir,
      name: '20261201233000_verifications.js',
    });
    expect(await knex.schema.hasTable('gitops_verification_decisions')).toBe(
      false,
    );
    expect(await knex.schema.hasTable('gitops_change_requests')).toBe(true);
    await knex.migrate.up({
      directory: dir,
      name: '20261201233000_verifications.js',
    });
    expect(await knex.schema.hasTable('gitops_verification_decisions')).toBe(
      true,
    );
    await knex.migrate.rollback({ directory: dir }, true);
    expect(await knex.schema.hasTable('gitops_verification_decisions')).toBe(
      false,
    );
  });
});
