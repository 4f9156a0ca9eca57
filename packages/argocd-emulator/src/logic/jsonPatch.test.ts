import { applyJsonPatch, applyMergePatch, JsonPatchError } from './jsonPatch';
import { parseGoDuration } from './goDuration';

describe('applyMergePatch', () => {
  it('merges objects, deletes nulls, replaces arrays', () => {
    expect(
      applyMergePatch(
        { a: 1, b: { c: 1, d: 2 }, e: [1] },
        { b: { c: null, x: 1 }, e: [2] },
      ),
    ).toEqual({ a: 1, b: { d: 2, x: 1 }, e: [2] });
  });
});

describe('applyJsonPatch', () => {
  const doc = {
    spec: { source: { helm: { parameters: [{ name: 'a', value: '1' }] } } },
  };
  it('adds, replaces, removes, moves, copies and tests', () => {
    expect(
      applyJsonPatch(doc, [
        {
          op: 'add',
          path: '/spec/source/helm/parameters/-',
          value: { name: 'b', value: '2' },
        },
      ]),
    ).toEqual({
      spec: {
        source: {
          helm: {
            parameters: [
              { name: 'a', value: '1' },
              { name: 'b', value: '2' },
            ],
          },
        },
      },
    });
    expect(
      applyJsonPatch(doc, [
        {
          op: 'replace',
          path: '/spec/source/helm/parameters/0/value',
          value: '9',
        },
      ]),
    ).toEqual({
      spec: { source: { helm: { parameters: [{ name: 'a', value: '9' }] } } },
    });
    expect(
      applyJsonPatch(doc, [{ op: 'remove', path: '/spec/source/helm' }]),
    ).toEqual({ spec: { source: {} } });
    expect(
      applyJsonPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/b' }]),
    ).toEqual({ b: 1 });
    expect(
      applyJsonPatch({ a: 1 }, [{ op: 'copy', from: '/a', path: '/b' }]),
    ).toEqual({ a: 1, b: 1 });
    expect(() =>
      applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]),
    ).toThrow(JsonPatchError);
  });
  it('rejects bad patches', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(JsonPatchError);
    expect(() =>
      applyJsonPatch({}, [{ op: 'replace', path: '/missing', value: 1 }]),
    ).toThrow(JsonPatchError);
    expect(() => applyJsonPatch({}, [{ op: 'nope', path: '/a' }])).toThrow(
      JsonPatchError,
    );
    expect(() =>
      applyJsonPatch({ a: [] }, [{ op: 'add', path: '/a/5', value: 1 }]),
    ).toThrow(JsonPatchError);
  });
  it('does not mutate the input', () => {
    const d = { a: { b: 1 } };
    applyJsonPatch(d, [{ op: 'replace', path: '/a/b', value: 2 }]);
    expect(d.a.b).toBe(1);
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['12h', 12 * 3600_000],
    ['1h30m', 5400_000],
    ['1.5h', 5400_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['0', 0],
    ['-1m', -60_000],
  ])('%s', (s, ms) => {
    expect(parseGoDuration(s)).toBe(ms);
  });
  it.each(['', '12', 'h', '1d', '1h 2m'])('rejects %j', s => {
    expect(() => parseGoDuration(s)).toThrow(/time: /);
  });
});
