import { STATUS_CODES } from 'node:http';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ArgoErrorBody } from './types';

/**
 * Removes every occurrence of the given secrets from a text, and the user
 * info of any URL in it. Used on every message that comes from or goes to
 * Argo CD.
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
  // user:password@ (or token@) in URLs.
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1[redacted]@');
  return out;
}

/** `502 Bad Gateway`. */
export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

/**
 * The message Argo CD put in a JSON error body, shortened to one line
 * without source paths; undefined for anything else (HTML, text). Never
 * used for 5xx answers, whose bodies may carry panics and stacks.
 */
export function argoMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const b = body as ArgoErrorBody;
  const raw = [b.message, b.error].find(
    (m): m is string => typeof m === 'string' && m.trim() !== '',
  );
  if (!raw) return undefined;
  const line = raw
    .trim()
    .split('\n')[0]
    // Go source locations and absolute paths
    .replace(/(\/[\w.@+-]+){2,}(\.go)?(:\d+)*/g, '[path]')
    .replace(/[^\x20-\x7e\u00a0-\uffff]/g, '');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * Maps an Argo CD error response to an `@backstage/errors` class naming the
 * instance, the operation and the status. For 4xx answers with a JSON body,
 * Argo CD's one-line message follows; HTML pages, text bodies and whatever a
 * 5xx carries never do (they go to the debug log only).
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
  const upstream = status < 500 ? argoMessage(body) : undefined;
  const message = redactSecrets(
    `Argo CD instance '${instance}' answered ${statusLine(
      status,
    )} to ${operation}${upstream ? `: ${upstream}` : ''}`,
    secrets,
  );
  if (status === 400) {
    if (
      upstream &&
      /another operation is already in progress/i.test(upstream)
    ) {
      return new ConflictError(message);
    }
    return new InputError(message);
  }
  if (status === 403) return new NotAllowedError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 409) return new ConflictError(message);
  // 401 (our credentials were refused: an operator problem, not the
  // caller's), 429, every 5xx and anything unexpected: Argo CD is not
  // usable now. Never a 500 of ours.
  return new ServiceUnavailableError(message);
}

/**
 * An answer that is not what Argo CD's API document says (not JSON, or the
 * wrong shape): names where it broke, quotes nothing of the body.
 */
export function argoUnexpectedBody(
  instance: string,
  operation: string,
  status: number,
  what: string,
): Error {
  return new ServiceUnavailableError(
    `Argo CD instance '${instance}' answered ${statusLine(
      status,
    )} to ${operation} with ${what}`,
  );
}

/** Whether a GET answered with this status may be retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
