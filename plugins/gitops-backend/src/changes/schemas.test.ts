import {
  createChangeSchema,
  decisionSchema,
  FIELD_LIMITS,
  parseInput,
} from './schemas';

const promote = {
  entityRef: 'component:default/python-api-base',
  environment: 'prod',
  kind: 'promote',
  version: 'v1.2.0',
};

const inputError = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('no error');
};

describe('field limits are part of the request schemas', () => {
  it.each([
    ['reason', { ...promote, reason: 'x'.repeat(100 * 1024) }, 2000],
    ['reason', { ...promote, reason: 'x'.repeat(2001) }, 2000],
    ['version', { ...promote, version: `v1.${'0'.repeat(130)}` }, 128],
    ['environment', { ...promote, environment: 'e'.repeat(64) }, 63],
    [
      'rollbackTo.revision',
      {
        ...promote,
        kind: 'rollback',
        version: undefined,
        rollbackTo: { revision: 'a'.repeat(129) },
      },
      128,
    ],
    [
      'rollbackTo.historyId',
      {
        ...promote,
        kind: 'rollback',
        version: undefined,
        rollbackTo: { historyId: '1'.repeat(65) },
      },
      64,
    ],
  ])(
    '%s over its limit is an InputError naming the field and %i',
    (field, body, limit) => {
      const e = inputError(() => parseInput(createChangeSchema, body));
      expect(e.name).toBe('InputError');
      expect(e.message).toContain(
        `${field}: must be at most ${limit} characters`,
      );
      expect(e.message.length).toBeLessThan(300); // the value is not echoed
    },
  );

  it('a comment over its limit names the field', () => {
    const e = inputError(() =>
      parseInput(decisionSchema, { comment: 'x'.repeat(100 * 1024) }),
    );
    expect(e.message).toBe('comment: must be at most 2000 characters');
  });

  it('accepts values at the limit', () => {
    expect(() =>
      parseInput(createChangeSchema, {
        ...promote,
        reason: 'x'.repeat(FIELD_LIMITS.reason),
      }),
    ).not.toThrow();
  });
});
