/**
 * The container images of the example setup, as a real registry holds them
 * (pure, deterministic): one small OCI image (config blob, one gzipped tar
 * layer, manifest) per *build*, and the tags that point at each build.
 *
 * - Every tag the seed's applications, Helm releases and sidecars run is
 *   pushed, plus the tags the walkthrough promotes (`v1.2.0-rc.2`, `v1.2.0`).
 * - A release tag `vX.Y.Z` is the image of the last release candidate of
 *   X.Y.Z the seed knows (`v1.2.0` = `v1.2.0-rc.2`, `v1.1.4` = `v1.1.4-rc.2`):
 *   both tags share one manifest digest. Each dev tag and each other rc is
 *   its own build (so `v1.2.0-rc.1` has another digest than `v1.2.0`).
 * - Deliberately missing: the tags the seed declares unbuilt
 *   ({@link UNBUILT_TAGS}: `v1.3.0-rc.9`, `v9.9.9`, anything with `missing`),
 *   whose pods wait in `ImagePullBackOff` in the emulator.
 *
 * Repositories are named as in the image references without the registry
 * host (`example.org/shop/python-api-base` → `shop/python-api-base`).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { SEEDS } from '../seed';
import { isUnbuiltTag } from '../seeding/unbuiltTags';

/** Registry host of the example image references. @public */
export const SEED_REGISTRY_HOST = 'example.org';

/** OCI media types used by the seed. @public */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/** One blob: its bytes and `sha256:<hex>`. @public */
export interface SeedBlob {
  digest: string;
  bytes: Buffer;
}

/** One image build: its blobs, the manifest and the tags pointing at it. @public */
export interface SeedImage {
  /** Repository without the registry host, e.g. `shop/python-api-base`. */
  repository: string;
  /** Build id the contents are made from (the first tag built). */
  build: string;
  tags: string[];
  config: SeedBlob;
  layer: SeedBlob;
  manifest: SeedBlob;
  manifestMediaType: string;
}

const sha256 = (b: Buffer) =>
  `sha256:${crypto.createHash('sha256').update(b).digest('hex')}`;
const blob = (bytes: Buffer): SeedBlob => ({ digest: sha256(bytes), bytes });

/** A one-file ustar archive (deterministic: fixed mode, owner and mtime). */
function tarOf(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  const put = (s: string, at: number, len: number) =>
    header.write(s.slice(0, len), at, len, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8); // checksum is computed with spaces here
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, content, pad, Buffer.alloc(1024)]);
}

/** The image of one build of a repository (same inputs, same digests). @public */
export function seedImage(
  repository: string,
  build: string,
  tags: string[],
): SeedImage {
  const file = Buffer.from(`${repository} build ${build}\n`);
  // gzip without a timestamp (node writes mtime 0), so the digest is stable
  const layerTar = tarOf('app/BUILD', file);
  const layer = blob(zlib.gzipSync(layerTar, { level: 9 }));
  const config = blob(
    Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        config: {
          Labels: {
            'org.opencontainers.image.version': build,
            'org.opencontainers.image.title': repository,
          },
        },
        rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
      }),
    ),
  );
  const manifest = blob(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: OCI_CONFIG,
          digest: config.digest,
          size: config.bytes.length,
        },
        layers: [
          {
            mediaType: OCI_LAYER,
            digest: layer.digest,
            size: layer.bytes.length,
          },
        ],
      }),
    ),
  );
  return {
    repository,
    build,
    tags,
    config,
    layer,
    manifest,
    manifestMediaType: OCI_MANIFEST,
  };
}

/** Tags the walkthrough promotes besides the seeded ones, by image repository. */
const EXTRA_TAGS: Record<string, string[]> = {
  'example.org/shop/python-api-base': ['v1.2.0-rc.2', 'v1.2.0'],
};

/** `example.org/shop/x:v1` → `['shop/x', 'v1']` (other hosts: undefined). */
function splitRef(ref: string): [string, string] | undefined {
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(ref);
  if (!m || m[1] !== SEED_REGISTRY_HOST) return undefined;
  return [m[2], m[3]];
}

const RELEASE = /^v(\d+\.\d+\.\d+)$/;
const RC = /^v(\d+\.\d+\.\d+)-rc\.(\d+)$/;

/**
 * Every image of the example setup, grouped by build (see the file comment).
 * @public
 */
export function seedImages(): SeedImage[] {
  const tagsByRepo = new Map<string, Set<string>>();
  const add = (ref: string) => {
    const parts = splitRef(ref);
    if (!parts || isUnbuiltTag(parts[1])) return;
    const set = tagsByRepo.get(parts[0]) ?? new Set<string>();
    set.add(parts[1]);
    tagsByRepo.set(parts[0], set);
  };
  for (const seed of Object.values(SEEDS)) {
    for (const app of seed.apps) {
      for (const c of app.commits) add(`${app.imageRepository}:${c.tag}`);
      for (const c of [...(app.sidecars ?? []), ...(app.initContainers ?? [])])
        add(c.image);
    }
    for (const rel of seed.helmReleases) {
      for (const r of rel.revisions) add(`${rel.imageRepository}:${r.tag}`);
    }
  }
  for (const [repo, tags] of Object.entries(EXTRA_TAGS)) {
    for (const t of tags) add(`${repo}:${t}`);
  }
  const images: SeedImage[] = [];
  for (const [repo, set] of [...tagsByRepo].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const tags = [...set].sort();
    const lastRc = new Map<string, { tag: string; n: number }>();
    for (const t of tags) {
      const m = RC.exec(t);
      if (m && Number(m[2]) >= (lastRc.get(m[1])?.n ?? -1))
        lastRc.set(m[1], { tag: t, n: Number(m[2]) });
    }
    const builds = new Map<string, string[]>();
    for (const t of tags) {
      const release = RELEASE.exec(t);
      const build = (release && lastRc.get(release[1])?.tag) || t;
      builds.set(build, [...(builds.get(build) ?? []), t]);
    }
    for (const [build, buildTags] of builds) {
      images.push(seedImage(repo, build, buildTags));
    }
  }
  return images;
}
