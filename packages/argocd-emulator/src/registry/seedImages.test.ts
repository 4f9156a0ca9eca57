import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { SEEDS } from '../seed';
import { UNBUILT_TAGS } from '../seeding/unbuiltTags';
import { seedImage, seedImages } from './seedImages';

const sha = (b: Buffer) =>
  `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;

describe('seedImages', () => {
  const images = seedImages();
  const tagsOf = (repo: string) =>
    images.filter(i => i.repository === repo).flatMap(i => i.tags);
  const imageOf = (repo: string, tag: string) =>
    images.find(i => i.repository === repo && i.tags.includes(tag))!;

  it('holds every tag the seeded apps and Helm releases run, plus the walkthrough tags, minus the unbuilt ones', () => {
    for (const seed of Object.values(SEEDS)) {
      for (const app of seed.apps) {
        const repo = app.imageRepository.replace(/^example\.org\//, '');
        for (const c of app.commits) expect(tagsOf(repo)).toContain(c.tag);
      }
    }
    const api = tagsOf('shop/python-api-base');
    expect(api).toEqual(expect.arrayContaining(['v1.2.0-rc.2', 'v1.2.0']));
    for (const unbuilt of UNBUILT_TAGS) expect(api).not.toContain(unbuilt);
    expect(tagsOf('mesh/proxyv2')).toEqual(['1.24.2']);
  });

  it('a release shares the manifest of the last rc of its X.Y.Z; dev tags and other rcs are builds of their own', () => {
    const repo = 'shop/python-api-base';
    expect(imageOf(repo, 'v1.2.0').tags).toEqual(['v1.2.0', 'v1.2.0-rc.2']);
    expect(imageOf(repo, 'v1.1.4').tags).toEqual(['v1.1.4', 'v1.1.4-rc.2']);
    expect(imageOf(repo, 'v1.2.0-rc.1').tags).toEqual(['v1.2.0-rc.1']);
    expect(imageOf(repo, 'v1.2.0-rc.1').manifest.digest).not.toBe(
      imageOf(repo, 'v1.2.0').manifest.digest,
    );
    expect(imageOf(repo, 'v1.1.3').tags).toEqual(['v1.1.3']);
  });

  it('an image is an OCI manifest naming its config and one gzipped tar layer by digest and size; same inputs, same digests', () => {
    const img = seedImage('shop/x', 'v1.0.0-rc.1', ['v1.0.0-rc.1']);
    const manifest = JSON.parse(img.manifest.bytes.toString());
    expect(manifest).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha(img.config.bytes),
        size: img.config.bytes.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
          digest: sha(img.layer.bytes),
          size: img.layer.bytes.length,
        },
      ],
    });
    expect(img.manifest.digest).toBe(sha(img.manifest.bytes));
    const tar = zlib.gunzipSync(img.layer.bytes);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(0, 9).toString()).toBe('app/BUILD');
    expect(tar.subarray(512, 512 + 24).toString()).toBe(
      'shop/x build v1.0.0-rc.1',
    );
    expect(JSON.parse(img.config.bytes.toString()).rootfs.diff_ids).toEqual([
      sha(tar),
    ]);
    expect(seedImage('shop/x', 'v1.0.0-rc.1', []).manifest.digest).toBe(
      img.manifest.digest,
    );
    expect(seedImage('shop/x', 'v1.0.0-rc.2', []).manifest.digest).not.toBe(
      img.manifest.digest,
    );
  });
});
