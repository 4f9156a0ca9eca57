import {
  appendHistory,
  DEFAULT_REVISION_HISTORY_LIMIT,
  findHistory,
  shouldRecordHistory,
} from './history';
import type { RevisionHistory } from './types';

const entry = (rev: string) => ({
  revision: rev,
  deployedAt: '2026-11-23T10:00:00Z',
  source: { repoURL: 'file:///r' },
});

describe('appendHistory', () => {
  it('starts at id 0 and increments', () => {
    let h: RevisionHistory[] = [];
    h = appendHistory(h, entry('a'), undefined);
    h = appendHistory(h, entry('b'), undefined);
    expect(h.map(x => [x.id, x.revision])).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
  });

  it('caps at the default limit of 10, dropping the oldest, ids keep increasing', () => {
    let h: RevisionHistory[] = [];
    for (let i = 0; i < 25; i++)
      h = appendHistory(h, entry(`r${i}`), undefined);
    expect(DEFAULT_REVISION_HISTORY_LIMIT).toBe(10);
    expect(h).toHaveLength(10);
    expect(h[0].id).toBe(15);
    expect(h[9].id).toBe(24);
    expect(h[9].revision).toBe('r24');
  });

  it('honours spec.revisionHistoryLimit, including 0', () => {
    let h: RevisionHistory[] = [];
    for (let i = 0; i < 5; i++) h = appendHistory(h, entry(`r${i}`), 3);
    expect(h.map(x => x.id)).toEqual([2, 3, 4]);
    expect(appendHistory(h, entry('x'), 0)).toEqual([]);
  });

  it('continues after the highest id of recorded history (ids may be strings on input)', () => {
    const recorded = [
      { ...entry('a'), id: 22 },
      { ...entry('b'), id: '23' as unknown as number },
    ];
    expect(appendHistory(recorded, entry('c'), undefined).pop()!.id).toBe(24);
  });

  it('does not mutate its input', () => {
    const h: RevisionHistory[] = [{ ...entry('a'), id: 0 }];
    appendHistory(h, entry('b'), 1);
    expect(h).toHaveLength(1);
  });
});

describe('shouldRecordHistory', () => {
  it.each([
    [{ phase: 'Succeeded' }, true],
    [{ phase: 'Succeeded', resources: [] }, true],
    [{ phase: 'Succeeded', dryRun: true }, false],
    [{ phase: 'Succeeded', resources: [{}] }, false],
    [{ phase: 'Failed' }, false],
    [{ phase: 'Error' }, false],
    [{ phase: 'Running' }, false],
  ])('%j -> %s', (op, expected) => {
    expect(shouldRecordHistory(op)).toBe(expected);
  });
});

describe('findHistory', () => {
  it('finds by number or numeric string', () => {
    const h = [{ ...entry('a'), id: 3 }];
    expect(findHistory(h, 3)?.revision).toBe('a');
    expect(findHistory(h, '3')?.revision).toBe('a');
    expect(findHistory(h, 4)).toBeUndefined();
  });
});
