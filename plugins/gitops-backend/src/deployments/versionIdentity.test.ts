import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  identifyVersion,
  normaliseRepository,
  parseImageRef,
  tagsForApp,
} from './versionIdentity';

const samples = path.join(__dirname, '__testUtils__', 'samples');
/** Recorded sync response: kuma sidecar + init container + the app's own image. */
const syncResponse = JSON.parse(
  fs.readFileSync(path.join(samples, 'sync-response.json'), 'utf8'),
);
/** Recorded Application (Argo CD v3.5.1 testdata): one image, `nginx:latest`. */
const recordedApp = parseYaml(
  fs.readFileSync(path.join(samples, 'application-with-history.yaml'), 'utf8'),
);

describe('parseImageRef', () => {
  it.each([
    ['nginx', { repository: 'nginx' }],
    ['nginx:latest', { repository: 'nginx', tag: 'latest' }],
    ['docker.io/library/nginx:1.25', { repository: 'nginx', tag: '1.25' }],
    ['index.docker.io/library/nginx:1', { repository: 'nginx', tag: '1' }],
    [
      'docker.io/kumahq/kuma-dp:1.3.1',
      { repository: 'kumahq/kuma-dp', tag: '1.3.1' },
    ],
    [
      'images.example.org:5000/shop/api:v1.2.0-rc.1',
      { repository: 'images.example.org:5000/shop/api', tag: 'v1.2.0-rc.1' },
    ],
    [
      'images.example.org:5000/shop/api',
      { repository: 'images.example.org:5000/shop/api' },
    ],
    [
      `images.example.org/shop/api:v1@sha256:${'a'.repeat(64)}`,
      {
        repository: 'images.example.org/shop/api',
        tag: 'v1',
        digest: `sha256:${'a'.repeat(64)}`,
      },
    ],
    [
      `images.example.org/shop/api@sha256:${'b'.repeat(64)}`,
      {
        repository: 'images.example.org/shop/api',
        digest: `sha256:${'b'.repeat(64)}`,
      },
    ],
    [
      'Images.Example.org/Shop/API:v1',
      { repository: 'images.example.org/shop/api', tag: 'v1' },
    ],
  ])('%s', (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });

  it('normalises repositories the same way', () => {
    expect(normaliseRepository('docker.io/library/redis')).toBe('redis');
    expect(normaliseRepository(' Docker.io/bitnami/redis ')).toBe(
      'bitnami/redis',
    );
  });
});

describe('tagsForApp', () => {
  it('keeps unprefixed tags and the prefixed tags of this app only', () => {
    expect(
      tagsForApp(
        ['v1.0.0', 'python-api-base-prod/v1.1.4', 'payments-worker/v9.9.9'],
        ['python-api-base-prod', 'python-api-base'],
      ),
    ).toEqual(['v1.0.0', 'v1.1.4']);
    expect(tagsForApp(['python-api-base/v2.0.0'], ['python-api-base'])).toEqual(
      ['v2.0.0'],
    );
  });

  it('does not take a tag whose prefix only starts like the app name', () => {
    expect(tagsForApp(['shop-cart/v1.0.0'], ['shop'])).toEqual([]);
    expect(tagsForApp(['x/shop/v1.0.0'], ['shop'])).toEqual([]);
  });

  it('handles no tags and no names', () => {
    expect(tagsForApp(undefined, ['a'])).toEqual([]);
    expect(tagsForApp(['a/v1.0.0'], [undefined])).toEqual([]);
  });
});

describe('identifyVersion', () => {
  const SHOP = 'images.example.org:5000/shop/python-api-base';
  const liveImages = [
    'docker.io/istio/proxyv2:1.22.3',
    'docker.io/library/busybox:1.36.1',
    `${SHOP}:v1.2.0-rc.1`,
    'images.example.org/logging/fluent-bit:3.0.4',
  ];

  it('never takes the recorded sidecar or init container (kuma 1.3.1) as the version', () => {
    const images: string[] = syncResponse.status.summary.images;
    expect(images).toEqual([
      'docker.io/kumahq/kuma-dp:1.3.1',
      'docker.io/kumahq/kuma-init:1.3.1',
      'packages.test.com/docker-dev/backstage20220408139:0.0.1',
    ]);
    const withRepo = identifyVersion({
      images,
      imageRepository: 'packages.test.com/docker-dev/backstage20220408139',
    });
    expect(withRepo).toMatchObject({
      status: 'known',
      version: '0.0.1',
      source: 'image',
    });
    // Without a configured repository the images say nothing.
    const without = identifyVersion({ images });
    expect(without.status).toBe('unknown');
    expect(without.version).toBeUndefined();
    expect(without.message).toMatch(/3 images run/);
  });

  it("takes the only image of the recorded app even when it is not a version (the policy rejects 'latest')", () => {
    const images: string[] = recordedApp.status.summary.images;
    expect(identifyVersion({ images })).toMatchObject({
      status: 'known',
      version: 'latest',
      source: 'image',
    });
  });

  it('picks the app image by repository among sidecars and init containers', () => {
    expect(
      identifyVersion({ images: liveImages, imageRepository: SHOP }),
    ).toMatchObject({
      status: 'known',
      version: 'v1.2.0-rc.1',
      source: 'image',
    });
  });

  it('agreeing sources give one version and list every candidate', () => {
    const r = identifyVersion({
      images: liveImages,
      imageRepository: SHOP,
      git: {
        file: 'apps/python-api-base-staging/values.yaml',
        key: 'image.tag',
        value: 'v1.2.0-rc.1',
      },
      recorded: 'v1.2.0-rc.1',
    });
    expect(r.status).toBe('known');
    expect(r.version).toBe('v1.2.0-rc.1');
    expect(r.source).toBe('image');
    expect(r.candidates.map(c => c.source)).toEqual(['image', 'git', 'record']);
  });

  it('says ambiguous, with the candidates, when the image and Git disagree', () => {
    const r = identifyVersion({
      images: liveImages,
      imageRepository: SHOP,
      git: { file: 'v.yaml', key: 'image.tag', value: 'v1.3.0-rc.1' },
    });
    expect(r.status).toBe('ambiguous');
    expect(r.version).toBeUndefined();
    expect(r.candidates).toEqual([
      {
        source: 'image',
        version: 'v1.2.0-rc.1',
        detail: `${SHOP}:v1.2.0-rc.1`,
      },
      { source: 'git', version: 'v1.3.0-rc.1', detail: 'v.yaml: image.tag' },
    ]);
    expect(r.message).toBe(
      'the sources disagree: v1.2.0-rc.1 (image tag), v1.3.0-rc.1 (Git)',
    );
  });

  it('says ambiguous while two tags of the app image run (rollout in progress)', () => {
    const r = identifyVersion({
      images: [`${SHOP}:v1.1.0`, `${SHOP}:v1.2.0`, 'istio/proxyv2:1.22.3'],
      imageRepository: SHOP,
    });
    expect(r.status).toBe('ambiguous');
    expect(r.candidates.map(c => c.version)).toEqual(['v1.1.0', 'v1.2.0']);
    expect(r.message).toMatch(/runs with several tags/);
  });

  it('counts the same tag twice (digest and no digest) once', () => {
    expect(
      identifyVersion({
        images: [`${SHOP}:v1.2.0`, `${SHOP}:v1.2.0@sha256:${'c'.repeat(64)}`],
        imageRepository: SHOP,
      }),
    ).toMatchObject({ status: 'known', version: 'v1.2.0' });
  });

  it('Git and a Helm parameter disagreeing is ambiguous', () => {
    expect(
      identifyVersion({
        git: { file: 'f', key: 'image.tag', value: 'v1.0.0' },
        helmParameter: { name: 'image.tag', value: 'v2.0.0' },
      }).status,
    ).toBe('ambiguous');
  });

  it('falls back to Git when the app image is not running (e.g. Missing)', () => {
    expect(
      identifyVersion({
        images: ['istio/proxyv2:1.22.3'],
        imageRepository: SHOP,
        git: { file: 'f', key: 'image.tag', value: 'v1.0.0' },
      }),
    ).toMatchObject({ status: 'known', version: 'v1.0.0', source: 'git' });
  });

  it('then to the Helm parameter', () => {
    expect(
      identifyVersion({
        images: liveImages,
        helmParameter: { name: 'image.tag', value: 'v0.9.0' },
      }),
    ).toMatchObject({
      status: 'known',
      version: 'v0.9.0',
      source: 'helm-parameter',
    });
  });

  it('then to the deployment record', () => {
    expect(identifyVersion({ recorded: 'v1.1.0' })).toMatchObject({
      status: 'known',
      version: 'v1.1.0',
      source: 'record',
    });
  });

  it('uses a git tag only when nothing primary speaks, and never a non-version tag', () => {
    expect(identifyVersion({ tags: ['v1.0.0', 'release'] })).toMatchObject({
      status: 'known',
      version: 'v1.0.0',
      source: 'git-tag',
    });
    expect(
      identifyVersion({
        tags: ['v1.0.0'],
        git: { file: 'f', key: 'image.tag', value: 'v2.0.0' },
      }),
    ).toMatchObject({ version: 'v2.0.0', source: 'git' });
    expect(identifyVersion({ tags: ['v1.0.0', 'v1.1.0'] }).status).toBe(
      'ambiguous',
    );
    expect(identifyVersion({ tags: ['release', 'latest'] }).status).toBe(
      'unknown',
    );
  });

  it('uses the chart version of a chart source last', () => {
    expect(identifyVersion({ chartVersion: '0.3.1' })).toMatchObject({
      status: 'known',
      version: '0.3.1',
      source: 'chart',
    });
    expect(
      identifyVersion({ chartVersion: '0.3.1', tags: ['v1.0.0'] }).source,
    ).toBe('git-tag');
  });

  it('does not take the only image when a repository is configured and it is another one', () => {
    expect(
      identifyVersion({
        images: ['istio/proxyv2:1.22.3'],
        imageRepository: SHOP,
      }).status,
    ).toBe('unknown');
  });

  it('an image without a tag (digest only) gives no version', () => {
    const r = identifyVersion({
      images: [`${SHOP}@sha256:${'d'.repeat(64)}`],
      imageRepository: SHOP,
    });
    expect(r.status).toBe('unknown');
    expect(r.message).toMatch(/has a tag/);
  });

  it('empty values do not count as candidates', () => {
    expect(
      identifyVersion({
        git: { file: 'f', key: 'image.tag', value: '' },
        helmParameter: { name: 'image.tag' },
      }).status,
    ).toBe('unknown');
    expect(identifyVersion({}).message).toMatch(/nothing names the version/);
  });
});
