/*
 * POST /changes with the image checks (example config: prod requires the
 * same digest) on SQLite and PostgreSQL: a tag missing from the registry or
 * of another build is refused before anything is stored (400 naming the
 * version), a registry that cannot be asked refuses with 403 ("unavailable",
 * not the requester's input), and the same build is stored as requested.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import request from 'supertest';
import { ensurePostgres } from '../testUtils/postgres';
import {
  ENTITY_REF,
  Harness,
  auth,
  counts,
  createHarness,
} from '../changes/__testUtils__/harness';
import {
  coreDigest,
  sameCoreImageFacts,
} from '../registry/__testUtils__/sameCoreImageFacts';

const pg = ensurePostgres();
jest.setTimeout(120_000);
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
afterAll(() => pg.stop());

const prodPromotion = {
  entityRef: ENTITY_REF,
  environment: 'prod',
  kind: 'promote',
  version: 'v1.2.0',
  reason: 'release 1.2.0',
};
const REPO = 'example.org/shop/python-api-base';

describe.each(databases.eachSupportedId())(
  'image checks on POST /changes (%s)',
  dbId => {
    let h: Harness;
    beforeEach(async () => {
      h = await createHarness(await databases.init(dbId));
    });
    const post = (body: object) =>
      request(h.app)
        .post('/changes')
        .set('Authorization', auth('alice'))
        .send(body);
    const nothingStored = async () =>
      expect(await counts(h.knex)).toEqual({
        requests: 0,
        approvals: 0,
        events: 0,
      });

    it('a tag missing from the registry: 400 naming the version, nothing stored', async () => {
      h.reader.getImageFacts = sameCoreImageFacts(['v1.2.0']);
      const res = await post(prodPromotion);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(
        `version: ${REPO}:v1.2.0 does not exist in the registry; push the image before promoting it to prod`,
      );
      await nothingStored();
    });

    it('another build than the rc that ran in staging: 400 (same-digest), nothing stored', async () => {
      h.reader.getImageFacts = async (_e, _env, tags) => ({
        repository: REPO,
        digests: Object.fromEntries(
          tags.map(t => [
            t,
            t === 'v1.2.0' ? coreDigest('rebuilt') : coreDigest(t),
          ]),
        ),
      });
      const res = await post(prodPromotion);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /version: v1\.2\.0 \(sha256:[0-9a-f]{12}\) is not the image that ran in staging: v1\.2\.0-rc\.2 is sha256:[0-9a-f]{12}; prod takes only the bits that ran in staging/,
      );
      await nothingStored();
    });

    it('the registry cannot be asked: 403 "unavailable", nothing stored; the preview shows both checks failing', async () => {
      h.reader.getImageFacts = async () => ({
        repository: REPO,
        unavailable:
          'registry example.org: HEAD manifest shop/python-api-base:v1.2.0 failed: ECONNREFUSED',
        digests: {},
      });
      const res = await post(prodPromotion);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /^policy: .*unavailable: example\.org\/shop\/python-api-base:v1\.2\.0 could not be checked \(registry example\.org: HEAD manifest shop\/python-api-base:v1\.2\.0 failed: ECONNREFUSED\)/,
      );
      await nothingStored();
      const preview = await post({ ...prodPromotion, preview: true });
      expect(preview.status).toBe(200);
      expect(
        preview.body.checks
          .filter((c: any) => c.id === 'image-exists' || c.id === 'same-digest')
          .map((c: any) => `${c.id}:${c.status}`),
      ).toEqual(['image-exists:fail', 'same-digest:fail']);
    });

    it('the same build: stored, awaiting approval, with both checks passing', async () => {
      const res = await post(prodPromotion);
      expect(res.status).toBe(201);
      expect(res.body.state).toBe('awaiting_approval');
      const detail = await request(h.app)
        .get(`/changes/${res.body.id}`)
        .set('Authorization', auth('alice'));
      expect(
        detail.body.checks
          .filter((c: any) => c.id === 'image-exists' || c.id === 'same-digest')
          .map((c: any) => `${c.id}:${c.status}`),
      ).toEqual(['image-exists:pass', 'same-digest:pass']);
    });
  },
);
