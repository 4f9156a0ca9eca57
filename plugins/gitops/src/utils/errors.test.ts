import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { errorKind, errorMessage } from './errors';

function jsonError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/changes' },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'Reason',
        headers: { 'content-type': 'application/json; charset=utf-8' },
      },
    ),
  );
}

describe('errorKind', () => {
  it('classifies a serialized Backstage error by its name', async () => {
    // the status code says otherwise: the type wins
    expect(errorKind(await jsonError(400, 'NotAllowedError', 'x'))).toBe(
      'notAllowed',
    );
    expect(errorKind(await jsonError(500, 'ConflictError', 'x'))).toBe(
      'conflict',
    );
    expect(errorKind(await jsonError(400, 'InputError', 'x'))).toBe('input');
    expect(errorKind(await jsonError(404, 'NotFoundError', 'x'))).toBe(
      'notFound',
    );
  });

  it('falls back to the status code for unknown names and non-JSON bodies', async () => {
    expect(errorKind(await jsonError(409, 'Error', 'x'))).toBe('conflict');
    const html = await ResponseError.fromResponse(
      new Response('<html><body>502 Bad Gateway</body></html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'text/html' },
      }),
    );
    expect(errorKind(html)).toBe('unavailable');
    // a body that names an error type is not trusted when it is not JSON
    const text = await ResponseError.fromResponse(
      new Response('NotAllowedError', { status: 404, statusText: 'Not Found' }),
    );
    expect(errorKind(text)).toBe('notFound');
    for (const [status, kind] of [
      [400, 'input'],
      [422, 'input'],
      [401, 'notAllowed'],
      [403, 'notAllowed'],
      [412, 'conflict'],
      [503, 'unavailable'],
      [418, 'unknown'],
    ] as const) {
      const e = await ResponseError.fromResponse(
        new Response(null, { status, statusText: 'x' }),
      );
      expect([status, errorKind(e)]).toEqual([status, kind]);
    }
  });

  it('classifies thrown errors by type', () => {
    expect(errorKind(new InputError('bad'))).toBe('input');
    expect(errorKind(new NotAllowedError('no'))).toBe('notAllowed');
    expect(errorKind(new AuthenticationError('who'))).toBe('notAllowed');
    expect(errorKind(new NotFoundError('gone'))).toBe('notFound');
    expect(errorKind(new ConflictError('busy'))).toBe('conflict');
    expect(errorKind(new Error('NotAllowedError'))).toBe('unknown');
    expect(errorKind('boom')).toBe('unknown');
  });
});

describe('errorMessage', () => {
  it("shows the server's sentence of a Backstage error", async () => {
    expect(
      errorMessage(
        await jsonError(403, 'NotAllowedError', 'you cannot approve'),
      ),
    ).toBe('you cannot approve');
  });

  it("shows only status and reason for a proxy's HTML page", async () => {
    const html = await ResponseError.fromResponse(
      new Response('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'text/html' },
      }),
    );
    expect(errorMessage(html)).toBe('502 Bad Gateway');
  });

  it('shows the message of other errors', () => {
    expect(errorMessage(new Error('network down'))).toBe('network down');
    expect(errorMessage('plain')).toBe('plain');
  });
});
