import {
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ArgoErrorBody } from './types';

/**
 * Removes every occurrence of the given secrets from a text. Used on every
 * message that comes from or goes to Argo CD.
 */
export function redactSecrets(
  text: string,
  secrets: Array<string | undefined>,
): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) {
      out = out.split(s).join('[redacted]');
    }
  }
  // Bearer tokens and JWT-shaped strings never leave, whatever their origin.
  out = out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]');
  out = out.replace(
    /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
    '[redacted]',
  );
  return out;
}

/** The message Argo CD put in its error body, if any. */
export function argoMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const b = body as ArgoErrorBody;
    return b.message || b.error || undefined;
  }
  if (typeof body === 'string' && body.trim()) {
    return body.trim().slice(0, 500);
  }
  return undefined;
}

/**
 * Maps an Argo CD error response to an `@backstage/errors` class, keeping
 * Argo CD's message and naming the instance and the operation.
 *
 * @param instance - Argo CD instance name from config
 * @param operation - e.g. `GET /api/v1/applications/foo`
 */
export function argoErrorFromResponse(
  instance: string,
  operation: string,
  status: number,
  body: unknown,
  secrets: Array<string | undefined>,
): Error {
  const upstream = argoMessage(body) ?? `HTTP ${status}`;
  const message = redactSecrets(
    `Argo CD instance '${instance}' answered ${status} to ${operation}: ${upstream}`,
    secrets,
  );
  if (status === 400) {
    if (/another operation is already in progress/i.test(upstream)) {
      return new ConflictError(message);
    }
    return new InputError(message);
  }
  if (status === 401) {
    // Our credentials were refused: an operator problem, not the caller's.
    return new ServiceUnavailableError(message);
  }
  if (status === 403) return new NotAllowedError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 409) return new ConflictError(message);
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return new ServiceUnavailableError(message);
  }
  const cause = new Error(upstream);
  cause.name = 'ArgoCdError';
  return new ForwardedError(message, redactError(cause, secrets));
}

function redactError(e: Error, secrets: Array<string | undefined>): Error {
  e.message = redactSecrets(e.message, secrets);
  return e;
}

/** Whether a GET answered with this status may be retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
