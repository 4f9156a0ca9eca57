import { ServiceUnavailableError } from '@backstage/errors';
import {
  argoErrorFromResponse,
  argoTimeout,
  argoUnreachable,
} from '../argocd/errors';
import { isTransient } from './StepContext';

describe('isTransient', () => {
  it('follows the code of the Argo CD client', () => {
    expect(isTransient(argoTimeout('local', 'GET /x', 10))).toBe(true);
    expect(isTransient(argoUnreachable('down'))).toBe(true);
    expect(
      isTransient(argoErrorFromResponse('local', 'GET /x', 502, {}, [])),
    ).toBe(true);
    expect(
      isTransient(argoErrorFromResponse('local', 'GET /x', 404, {}, [])),
    ).toBe(false);
    expect(
      isTransient(argoErrorFromResponse('local', 'GET /x', 403, {}, [])),
    ).toBe(false);
  });

  it('counts other errors as transient only by type, never by message', () => {
    expect(isTransient(new ServiceUnavailableError('catalog down'))).toBe(true);
    expect(isTransient(new Error('connect ECONNREFUSED: timed out'))).toBe(
      false,
    );
    expect(isTransient(undefined)).toBe(false);
  });
});
