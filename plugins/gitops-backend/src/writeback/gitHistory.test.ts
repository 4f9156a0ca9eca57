import { findIntroducingCommit } from './gitHistory';

describe('findIntroducingCommit', () => {
  it('finds the newest commit that changed the key to the current value', () => {
    const entries = [
      { sha: 'c3', subject: 'unrelated', value: 'v2', parentValue: 'v2' },
      { sha: 'c2', subject: 'promote v2', value: 'v2', parentValue: 'v1' },
      { sha: 'c1', subject: 'promote v1', value: 'v1', parentValue: undefined },
    ];
    expect(findIntroducingCommit(entries, 'v2')?.sha).toBe('c2');
    expect(findIntroducingCommit(entries, 'v3')).toBeUndefined();
  });
});
