import { suggestVersion } from './suggestVersion';

describe('suggestVersion', () => {
  it('a dev build becomes the next rc of its X.Y.Z in the target', () => {
    expect(suggestVersion('v1.2.0-dev.3', 'v1.2.0-rc.1')).toBe('v1.2.0-rc.2');
    expect(suggestVersion('v1.2.0-dev.3', 'v1.2.0-rc.9')).toBe('v1.2.0-rc.10');
    expect(suggestVersion('v1.3.0-dev.1', 'v1.2.0-rc.4')).toBe('v1.3.0-rc.1');
    expect(suggestVersion('v1.3.0-dev.1', undefined)).toBe('v1.3.0-rc.1');
    expect(suggestVersion('1.3.0-beta.2', 'v1.3.0')).toBe('1.3.0-rc.1');
  });

  it('an rc becomes its release; a release stays itself', () => {
    expect(suggestVersion('v1.2.0-rc.2', 'v1.1.4')).toBe('v1.2.0');
    expect(suggestVersion('v2.3.0', 'v2.2.1')).toBe('v2.3.0');
  });

  it('never suggests the source tag itself when it is a prerelease; nothing for non-semver', () => {
    expect(suggestVersion('v1.2.0-dev.3', 'v1.2.0-dev.3')).not.toBe(
      'v1.2.0-dev.3',
    );
    expect(suggestVersion('latest', 'v1.0.0')).toBe('');
    expect(suggestVersion(undefined, 'v1.0.0')).toBe('');
    expect(suggestVersion('v1.2', undefined)).toBe('');
  });
});
