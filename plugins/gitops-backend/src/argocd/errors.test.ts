import { serializeError } from '@backstage/errors';
import {
  argoCdErrorInfo,
  argoErrorFromResponse,
  argoNotConfigured,
  argoTimeout,
  argoUnexpectedBody,
  argoUnreachable,
} from './errors';

describe('Argo CD error codes', () => {
  it.each([
    [400, {}, 'InputError', 'invalid-request', false],
    [401, {}, 'ServiceUnavailableError', 'unauthenticated', true],
    [403, {}, 'NotAllowedError', 'permission-denied', false],
    [404, {}, 'NotFoundError', 'not-found', false],
    [409, {}, 'ConflictError', 'conflict', false],
    [429, {}, 'ServiceUnavailableError', 'unavailable', true],
    [500, {}, 'ServiceUnavailableError', 'unavailable', true],
    [502, {}, 'ServiceUnavailableError', 'unavailable', true],
    [418, {}, 'ServiceUnavailableError', 'unavailable', true],
  ] as const)(
    'status %d → %s with code %s (transient %s)',
    (status, body, name, code, transient) => {
      const e = argoErrorFromResponse('local', 'GET /x', status, body, []);
      expect(e.name).toBe(name);
      expect(argoCdErrorInfo(e)).toEqual({
        code,
        status,
        transient,
        refusal: undefined,
      });
    },
  );

  it.each([
    [
      400,
      'error setting app operation: another operation is already in progress',
      'operation-in-progress',
      'ConflictError',
      'conflict',
    ],
    [
      403,
      'cannot sync: blocked by sync window',
      'sync-window',
      'NotAllowedError',
      'permission-denied',
    ],
    [
      400,
      'rollback cannot be initiated when auto-sync is enabled',
      'auto-sync-rollback',
      'InputError',
      'invalid-request',
    ],
    [
      400,
      'Cannot sync to abc: auto-sync currently set to HEAD',
      'auto-sync-revision',
      'InputError',
      'invalid-request',
    ],
  ] as const)(
    '%d "%s" is the refusal %s',
    (status, message, refusal, name, code) => {
      const e = argoErrorFromResponse(
        'local',
        'POST /sync',
        status,
        { message },
        [],
      );
      expect(e.name).toBe(name);
      expect(argoCdErrorInfo(e)).toMatchObject({ code, refusal });
    },
  );

  it('a 5xx body never names a refusal (its body is not read)', () => {
    const e = argoErrorFromResponse(
      'local',
      'POST /sync',
      503,
      { message: 'another operation is already in progress' },
      [],
    );
    expect(argoCdErrorInfo(e)).toMatchObject({
      code: 'unavailable',
      transient: true,
      refusal: undefined,
    });
  });

  it('timeouts, unreachable instances, odd bodies and unknown instances carry their codes', () => {
    expect(argoCdErrorInfo(argoTimeout('local', 'GET /x', 100))).toEqual({
      code: 'timeout',
      transient: true,
    });
    expect(argoCdErrorInfo(argoUnreachable('down'))).toEqual({
      code: 'unavailable',
      transient: true,
    });
    expect(
      argoCdErrorInfo(argoUnexpectedBody('local', 'GET /x', 200, 'HTML')),
    ).toEqual({ code: 'invalid-response', status: 200, transient: true });
    const unknown = argoNotConfigured('nope');
    expect(unknown.name).toBe('NotFoundError');
    expect(argoCdErrorInfo(unknown)).toEqual({
      code: 'not-configured',
      transient: false,
    });
  });

  it('errors not made by the client carry no code, whatever their message', () => {
    expect(
      argoCdErrorInfo(new Error('timed out: unreachable')),
    ).toBeUndefined();
    expect(argoCdErrorInfo(undefined)).toBeUndefined();
    expect(argoCdErrorInfo('boom')).toBeUndefined();
  });

  it('the code is not part of a serialized error body', () => {
    const e = argoErrorFromResponse('local', 'GET /x', 404, {}, []);
    expect(serializeError(e)).not.toHaveProperty('argoCd');
    expect(Object.keys(e)).not.toContain('argoCd');
  });
});
