import { formatDual, shortSha, userName } from './time';

describe('formatDual', () => {
  it('shows the viewer zone and UTC', () => {
    const t = formatDual('2026-11-30T06:00:00Z', 'Europe/Berlin')!;
    expect(t.local).toBe('Mon 30 Nov 07:00 GMT+1');
    expect(t.utc).toBe('06:00 UTC');
    expect(t.both).toBe('Mon 30 Nov 07:00 GMT+1 (06:00 UTC)');
  });
  it('writes the UTC day when it differs', () => {
    expect(formatDual('2026-11-30T23:30:00Z', 'Asia/Tokyo')!.both).toBe(
      'Tue 1 Dec 08:30 GMT+9 (Mon 30 Nov 23:30 UTC)',
    );
  });
  it('shows only UTC when the viewer is in UTC', () => {
    expect(formatDual('2026-11-30T06:00:00Z', 'UTC')!.both).toBe(
      'Mon 30 Nov 06:00 UTC',
    );
  });
  it('ignores missing or invalid times', () => {
    expect(formatDual(undefined)).toBeUndefined();
    expect(formatDual('yesterday')).toBeUndefined();
  });
});

describe('shortSha / userName', () => {
  it('shortens commit SHAs only', () => {
    expect(shortSha('a1b2c3d4e5f6a1b2c3d4e5f6')).toBe('a1b2c3d');
    expect(shortSha('1.2.0')).toBe('1.2.0');
  });
  it('shows a user ref as its name', () => {
    expect(userName('user:default/alice')).toBe('alice');
    expect(userName('automated')).toBe('automated');
  });
});
