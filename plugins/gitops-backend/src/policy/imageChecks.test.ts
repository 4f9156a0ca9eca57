import { EnvironmentState, HistoryEntry } from '@internal/plugin-gitops-common';
import {
  imageChecks,
  imageTagsNeeded,
  sameCoreVersionsRan,
  shortDigest,
} from './imageChecks';
import { ImageFacts } from './policyModel';
import { EnvironmentPolicy } from './types';

const A = `sha256:${'a1'.repeat(32)}`;
const B = `sha256:${'b2'.repeat(32)}`;
const REPO = 'example.org/shop/api';

const prod = (over: Partial<EnvironmentPolicy> = {}): EnvironmentPolicy => ({
  name: 'prod',
  order: 2,
  promotesFrom: 'staging',
  configPath: 'gitops.pipelines.standard.environments[2]',
  forbiddenTags: ['latest'],
  requireSemver: true,
  sourceMustBeHealthy: true,
  dryRunRequired: false,
  manualSyncRequired: false,
  windows: [],
  useArgoCdWindows: false,
  requireImageExists: true,
  requireSameDigest: true,
  ...over,
});

const facts = (digests: ImageFacts['digests']): ImageFacts => ({
  repository: REPO,
  digests,
});

const staging = (version?: string, error?: boolean): EnvironmentState => ({
  name: 'staging',
  order: 1,
  images: [],
  conditions: [],
  unhealthyResources: 0,
  version,
  ...(error
    ? { error: { name: 'ServiceUnavailableError', message: 'down' } }
    : {}),
});

const row = (version: string, degradedAt?: string): HistoryEntry => ({
  source: 'argocd',
  id: version,
  version,
  ...(degradedAt ? { degradedAt } : {}),
});

describe('sameCoreVersionsRan', () => {
  it('the running version first, then history of the same X.Y.Z, once each; Degraded rows, Helm rows and other versions left out', () => {
    expect(
      sameCoreVersionsRan('v1.2.0', staging('v1.2.0-rc.2'), [
        row('v1.2.0-rc.2'),
        row('v1.2.0-rc.1'),
        row('v1.1.4-rc.2'),
        row('v1.2.0-rc.3', '2026-11-20T00:00:00Z'),
        { ...row('v1.2.0-rc.4'), source: 'helm' },
      ]),
    ).toEqual([
      { version: 'v1.2.0-rc.2', now: true },
      { version: 'v1.2.0-rc.1', now: false },
    ]);
  });

  it('an unreadable source does not count as running; a non-semver version has none', () => {
    expect(
      sameCoreVersionsRan('v1.2.0', staging('v1.2.0-rc.2', true), [
        row('v1.2.0-rc.1'),
      ]),
    ).toEqual([{ version: 'v1.2.0-rc.1', now: false }]);
    expect(sameCoreVersionsRan('latest', staging('latest'), [])).toEqual([]);
  });
});

describe('imageTagsNeeded', () => {
  it('the target, plus what ran before when digests are compared; nothing without image rules', () => {
    const ran = [{ version: 'v1.2.0-rc.2', now: true }];
    expect(imageTagsNeeded(prod(), 'v1.2.0', ran)).toEqual([
      'v1.2.0',
      'v1.2.0-rc.2',
    ]);
    expect(
      imageTagsNeeded(prod({ requireSameDigest: false }), 'v1.2.0', ran),
    ).toEqual(['v1.2.0']);
    expect(
      imageTagsNeeded(
        prod({ requireImageExists: false, requireSameDigest: false }),
        'v1.2.0',
        ran,
      ),
    ).toEqual([]);
  });
});

describe('imageChecks', () => {
  const ranNow = [{ version: 'v1.2.0-rc.2', now: true }];

  it('no image rules: no checks', () => {
    expect(
      imageChecks(
        prod({ requireImageExists: false, requireSameDigest: false }),
        'v1.2.0',
        undefined,
        ranNow,
      ),
    ).toEqual([]);
  });

  it('the tag exists and has the digest of the rc that runs in staging: both pass', () => {
    expect(
      imageChecks(
        prod(),
        'v1.2.0',
        facts({ 'v1.2.0': A, 'v1.2.0-rc.2': A }),
        ranNow,
      ),
    ).toEqual([
      {
        id: 'image-exists',
        status: 'pass',
        message: `example.org/shop/api:v1.2.0 exists in the registry (sha256:${'a1'.repeat(
          6,
        )})`,
      },
      {
        id: 'same-digest',
        status: 'pass',
        message: `v1.2.0 is the same image (sha256:${'a1'.repeat(
          6,
        )}) as v1.2.0-rc.2, which runs in staging`,
      },
    ]);
  });

  it('a match in the history counts ("ran")', () => {
    const [, same] = imageChecks(
      prod(),
      'v1.2.0',
      facts({ 'v1.2.0': A, 'v1.2.0-rc.2': B, 'v1.2.0-rc.1': A }),
      [
        { version: 'v1.2.0-rc.2', now: true },
        { version: 'v1.2.0-rc.1', now: false },
      ],
    );
    expect(same).toEqual({
      id: 'same-digest',
      status: 'pass',
      message: `v1.2.0 is the same image (sha256:${'a1'.repeat(
        6,
      )}) as v1.2.0-rc.1, which ran in staging`,
    });
  });

  it('the tag is missing: image-exists fails on the version field, same-digest cannot compare', () => {
    expect(
      imageChecks(
        prod(),
        'v1.2.1',
        facts({ 'v1.2.1': null, 'v1.2.0-rc.2': A }),
        [],
      ),
    ).toEqual([
      {
        id: 'image-exists',
        status: 'fail',
        field: 'version',
        message:
          'example.org/shop/api:v1.2.1 does not exist in the registry; push the image before promoting it to prod',
      },
      {
        id: 'same-digest',
        status: 'fail',
        field: 'version',
        message:
          'v1.2.1 is not in the registry, so its digest cannot be compared with what ran in staging',
      },
    ]);
  });

  it('another digest than every rc that ran: same-digest fails naming each', () => {
    const [exists, same] = imageChecks(
      prod(),
      'v1.2.0',
      facts({ 'v1.2.0': A, 'v1.2.0-rc.2': B, 'v1.2.0-rc.1': null }),
      [
        { version: 'v1.2.0-rc.2', now: true },
        { version: 'v1.2.0-rc.1', now: false },
      ],
    );
    expect(exists.status).toBe('pass');
    expect(same).toEqual({
      id: 'same-digest',
      status: 'fail',
      field: 'version',
      message: `v1.2.0 (sha256:${'a1'.repeat(
        6,
      )}) is not the image that ran in staging: v1.2.0-rc.2 is sha256:${'b2'.repeat(
        6,
      )}, v1.2.0-rc.1 is not in the registry; prod takes only the bits that ran in staging`,
    });
  });

  it('nothing of that X.Y.Z ran in staging: same-digest fails', () => {
    const [, same] = imageChecks(prod(), 'v1.3.0', facts({ 'v1.3.0': A }), []);
    expect(same).toEqual({
      id: 'same-digest',
      status: 'fail',
      field: 'version',
      message:
        'no version with the same X.Y.Z as v1.3.0 ran in staging, so there is no digest to compare (prod takes only the image that ran in staging)',
    });
  });

  it('registry unavailable (or no facts): both checks fail as unavailable, with no field (not the requester’s input)', () => {
    const down: ImageFacts = {
      repository: REPO,
      unavailable:
        'registry example.org: HEAD manifest shop/api:v1.2.0 failed: ECONNREFUSED',
      digests: {},
    };
    expect(imageChecks(prod(), 'v1.2.0', down, ranNow)).toEqual([
      {
        id: 'image-exists',
        status: 'fail',
        message:
          'unavailable: example.org/shop/api:v1.2.0 could not be checked (registry example.org: HEAD manifest shop/api:v1.2.0 failed: ECONNREFUSED); prod requires the image to exist in the registry, so this check does not pass',
      },
      {
        id: 'same-digest',
        status: 'fail',
        message:
          'unavailable: example.org/shop/api:v1.2.0 could not be checked (registry example.org: HEAD manifest shop/api:v1.2.0 failed: ECONNREFUSED); prod requires the same image digest as in staging, so this check does not pass',
      },
    ]);
    const none = imageChecks(
      prod({ requireSameDigest: false }),
      'v1.2.0',
      undefined,
      ranNow,
    );
    expect(none).toEqual([
      {
        id: 'image-exists',
        status: 'fail',
        message:
          'unavailable: the image of v1.2.0 could not be checked (no registry facts were gathered); prod requires the image to exist in the registry, so this check does not pass',
      },
    ]);
  });

  it('shortDigest keeps the algorithm and 12 hex digits', () => {
    expect(shortDigest(A)).toBe(`sha256:${'a1'.repeat(6)}`);
    expect(shortDigest('sha256:abc')).toBe('sha256:abc');
  });
});
