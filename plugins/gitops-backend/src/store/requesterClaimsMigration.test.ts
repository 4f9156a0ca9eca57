import { TestDatabases } from '@backstage/backend-test-utils';
import path from 'node:path';
import { ensurePostgres } from '../testUtils/postgres';

const pg = ensurePostgres();

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const directory = path.resolve(__dirname, '../../migrations');
const BEFORE = '20261127131500_approval_claims.js';
const THIS = '20261201190000_requester_claims.js';

describe.each(databases.eachSupportedId())(
  'migration %s: requester claims column',
  id => {
    it('moves the claims out of the created event on up, drops the column on down', async () => {
      const knex = await databases.init(id);
      // up to the migration before this one
      for (;;) {
        const [, pending] = (await knex.migrate.list({ directory })) as [
          unknown,
          Array<{ file: string }>,
        ];
        if (pending[0]?.file === THIS) break;
        await knex.migrate.up({ directory });
      }
      const row = (changeId: string, requestedBy: string) => ({
        id: changeId,
        entity_ref: 'component:default/a',
        environment: 'prod',
        pipeline: 'standard',
        kind: 'promote',
        state: 'awaiting_approval',
        requested_by: requestedBy,
        override: false,
        required_approvals: 1,
        approver_refs_json: '[]',
        checks_json: '[]',
        execution_attempts: 0,
        created_at: new Date(),
        updated_at: new Date(),
      });
      const event = (changeId: string, data: unknown) => ({
        change_id: changeId,
        type: 'created',
        at: new Date(),
        entity_ref: 'component:default/a',
        environment: 'prod',
        data_json: data === undefined ? null : JSON.stringify(data),
      });
      const A = '00000000-0000-4000-8000-00000000000a';
      const B = '00000000-0000-4000-8000-00000000000b';
      await knex('gitops_change_requests').insert([
        row(A, 'user:default/alice'),
        { ...row(B, 'user:default/bob'), state: 'expired' },
      ]);
      await knex('gitops_change_events').insert([
        event(A, {
          requesterClaims: ['user:default/alice', 'group:default/team-a'],
        }),
        event(B, undefined),
      ]);

      await knex.migrate.up({ directory });
      const after = await knex('gitops_change_requests')
        .select('id', 'requester_claims_json')
        .orderBy('id');
      expect(
        after.map(r => [r.id, JSON.parse(r.requester_claims_json)]),
      ).toEqual([
        [A, ['user:default/alice', 'group:default/team-a']],
        [B, ['user:default/bob']],
      ]);

      await knex.migrate.down({ directory });
      expect(
        await knex.schema.hasColumn(
          'gitops_change_requests',
          'requester_claims_json',
        ),
      ).toBe(false);
      const [done] = (await knex.migrate.list({ directory })) as [
        Array<{ name: string } | string>,
        unknown,
      ];
      const names = done.map(d => (typeof d === 'string' ? d : d.name));
      expect(names[names.length - 1]).toBe(BEFORE);
    });
  },
);
