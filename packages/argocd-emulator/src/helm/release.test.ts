import zlib from 'node:zlib';
import {
  decodeRelease,
  encodeRelease,
  releaseSecret,
  releaseSecretName,
} from './release';
import { buildHelmRelease } from './seedRelease';
import { SEEDS } from '../seed';

const rel = SEEDS.local.helmReleases[0];
const release = buildHelmRelease(
  rel,
  3,
  rel.revisions[2],
  new Date('2026-11-01T00:00:00Z'),
  new Date('2026-11-21T00:00:00Z'),
);

describe('Helm release encoding', () => {
  it('is JSON -> gzip -> base64 and decodes back', () => {
    const encoded = encodeRelease(release);
    const raw = Buffer.from(encoded, 'base64');
    expect([raw[0], raw[1], raw[2]]).toEqual([0x1f, 0x8b, 0x08]);
    expect(JSON.parse(zlib.gunzipSync(raw).toString())).toEqual(release);
    expect(decodeRelease(encoded)).toEqual(release);
  });

  it('decodes uncompressed (very old) releases too', () => {
    expect(
      decodeRelease(Buffer.from(JSON.stringify(release)).toString('base64')),
    ).toEqual(release);
  });

  it('stores it in a Secret whose data.release is base64 of Helm base64 (decode twice)', () => {
    const s = releaseSecret(release, {
      uid: 'u',
      resourceVersion: '1',
      createdAt: new Date('2026-11-21T00:00:00Z'),
    });
    expect(s.metadata.name).toBe(
      'sh.helm.release.v1.python-api-base-migrations.v3',
    );
    expect(releaseSecretName('x', 12)).toBe('sh.helm.release.v1.x.v12');
    expect(s.type).toBe('helm.sh/release.v1');
    expect(s.metadata.labels).toMatchObject({
      owner: 'helm',
      name: 'python-api-base-migrations',
      status: 'deployed',
      version: '3',
      createdAt: String(Date.parse('2026-11-21T00:00:00Z') / 1000),
    });
    const helmB64 = Buffer.from(s.data.release, 'base64').toString('utf8');
    const decoded = decodeRelease(helmB64);
    expect(decoded.info.status).toBe('deployed');
    expect(decoded.version).toBe(3);
    expect(decoded.manifest).toContain(
      'example.org/shop/python-api-base:v1.1.4',
    );
    expect(decoded.chart.metadata.appVersion).toBe('v1.1.4');
  });
});
