/* A field over its limit is a 400 naming the field and the limit, not a 413 for the body. */
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ENTITY_REF,
  Harness,
  auth,
  counts,
  createHarness,
} from './__testUtils__/harness';

jest.setTimeout(60_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('change routes: field limits', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(await databases.init('SQLITE_3'));
  });

  it('a 100 KB reason is a 400 naming reason and its limit, and stores nothing', async () => {
    const res = await request(h.app)
      .post('/changes')
      .set('Authorization', auth('alice'))
      .send({
        entityRef: ENTITY_REF,
        environment: 'prod',
        kind: 'promote',
        version: 'v1.2.0',
        reason: 'x'.repeat(100 * 1024),
      });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toBe(
      'reason: must be at most 2000 characters',
    );
    expect(await counts(h.knex)).toEqual({
      requests: 0,
      approvals: 0,
      events: 0,
    });
  });
});
