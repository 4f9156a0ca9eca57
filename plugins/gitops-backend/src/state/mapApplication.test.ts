import { fixtureApp } from './__testUtils__/fakeArgo';
import {
  imageTag,
  isSemverTag,
  operationOf,
  toEnvironmentState,
} from './mapApplication';

describe('mapApplication', () => {
  it('reads image tags, ignoring registry ports and digests', () => {
    expect(imageTag('registry:5000/a/b:v1.2.3')).toBe('v1.2.3');
    expect(imageTag('registry:5000/a/b')).toBeUndefined();
    expect(imageTag('a/b:v1@sha256:abc')).toBe('v1');
  });

  it('recognises semver tags only', () => {
    expect(isSemverTag('v1.2.3-rc.1')).toBe(true);
    expect(isSemverTag('1.2.3')).toBe(true);
    expect(isSemverTag('latest')).toBe(false);
    expect(isSemverTag('v1.2')).toBe(false);
  });

  it('never takes another container image as the version (see versionIdentity.test.ts)', () => {
    const app = fixtureApp('a', { tag: 'v1.0.0' });
    app.status!.summary!.images = ['a:latest', 'b:v2.0.0'];
    // Old behaviour took the first semver image tag (v2.0.0, a sidecar's).
    expect(
      toEnvironmentState({ name: 'dev', order: 0 }, app, 'local', 'u').version,
    ).toBe('v1.0.0');
  });

  it('maps a pending operation as Running with our change id', () => {
    const app = fixtureApp('a', {
      operation: {
        sync: { revision: 'r1', dryRun: true },
        initiatedBy: { username: 'bob' },
        info: [{ name: 'gitops-change', value: 'c1' }],
      },
      operationState: { phase: 'Succeeded', finishedAt: 'x', message: 'old' },
    });
    expect(operationOf(app)).toMatchObject({
      phase: 'Running',
      changeId: 'c1',
      initiatedBy: 'bob',
      dryRun: true,
      revision: 'r1',
      finishedAt: undefined,
    });
  });

  it('maps a finished automated operation', () => {
    const app = fixtureApp('a', {
      operationState: {
        phase: 'Failed',
        message: 'one or more objects failed to apply',
        operation: { initiatedBy: { automated: true } },
      },
    });
    expect(operationOf(app)).toMatchObject({
      phase: 'Failed',
      initiatedBy: 'automated',
      changeId: undefined,
    });
  });

  it('maps the environment state', () => {
    const s = toEnvironmentState(
      { name: 'dev', order: 0 },
      fixtureApp('a', {
        tag: 'v1.0.0-dev.1',
        health: 'Degraded',
        automated: true,
      }),
      'local',
      'u',
    );
    expect(s).toMatchObject({
      version: 'v1.0.0-dev.1',
      health: { status: 'Degraded' },
      unhealthyResources: 1,
      lastDeployedBy: 'alice',
      application: { autoSync: true, instance: 'local', url: 'u' },
    });
  });
});
