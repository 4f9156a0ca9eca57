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
 * What went wrong with an Argo CD call, as a code rather than a message
 * pattern. `transient` says whether waiting and trying again may help
 * (Argo CD unreachable, slow, rate-limiting or answering 5xx).
 */
export type ArgoCdErrorCode =
  | 'invalid-request'
  | 'unauthenticated'
  | 'permission-denied'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'timeout'
  | 'invalid-response'
  | 'not-configured';

/**
 * Why Argo CD refused a write. Argo CD answers these with a generic gRPC
 * status (400/403 FailedPrecondition) and says which one only in its
 * message, so they are recognised here, once, where the body is parsed.
 */
export type ArgoCdRefusal =
  | 'operation-in-progress'
  | 'sync-window'
  | 'auto-sync-rollback'
  | 'auto-sync-revision';

/** The code an error of the Argo CD client carries. */
export interface ArgoCdErrorInfo {
  code: ArgoCdErrorCode;
  /** HTTP status Argo CD answered, when it answered. */
  status?: number;
  transient: boolean;
  refusal?: ArgoCdRefusal;
}

/**
 * An `@backstage/errors` error (so routes still answer its status) that
 * carries an {@link ArgoCdErrorInfo}. The info is not enumerable, so it never
 * ends up in a serialized error body.
 */
export type ArgoCdError = Error & { readonly argoCd: ArgoCdErrorInfo };

/** Attaches the info to an error of the client. */
export function withArgoCdInfo(
  error: Error,
  info: ArgoCdErrorInfo,
): ArgoCdError {
  Object.defineProperty(error, 'argoCd', {
    value: Object.freeze({ ...info }),
    enumerable: false,
  });
  return error as ArgoCdError;
}

/** The info of an error the Argo CD client created; undefined for any other error. */
export function argoCdErrorInfo(e: unknown): ArgoCdErrorInfo | undefined {
  const info = (e as Partial<ArgoCdError> | undefined)?.argoCd;
  return info && typeof info === 'object' && typeof info.code === 'string'
    ? info
    : undefined;
}

const REFUSALS: Array<[RegExp, ArgoCdRefusal]> = [
  [/another operation is already in progress/i, 'operation-in-progress'],
  [/blocked by sync window/i, 'sync-window'],
  [
    /rollback cannot be initiated when auto-sync is enabled/i,
    'auto-sync-rollback',
  ],
  [/auto-sync currently set to/i, 'auto-sync-revision'],
];

/** Which refusal Argo CD's one-line 4xx message names, if any. */
export function argoRefusal(
  upstream: string | undefined,
): ArgoCdRefusal | undefined {
  if (!upstream) return undefined;
  return REFUSALS.find(([re]) => re.test(upstream))?.[1];
}

function codeOfStatus(status: number): ArgoCdErrorCode {
  if (status === 400) return 'invalid-request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'permission-denied';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  return 'unavailable';
}

/**
 * Maps an Argo CD error response to an `@backstage/errors` class naming the
 * instance, the operation and the status, carrying an {@link ArgoCdErrorInfo}.
 * For 4xx answers with a JSON body, Argo CD's one-line message follows;
 * HTML pages, text bodies and whatever a 5xx carries never do (they go to
 * the debug log only).
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
): ArgoCdError {
  const upstream = status < 500 ? argoMessage(body) : undefined;
  const message = redactSecrets(
    `Argo CD instance '${instance}' answered ${statusLine(
      status,
    )} to ${operation}${upstream ? `: ${upstream}` : ''}`,
    secrets,
  );
  const refusal = argoRefusal(upstream);
  let code = codeOfStatus(status);
  if (refusal === 'operation-in-progress') code = 'conflict';
  // 401 (our credentials were refused: an operator problem, not the
  // caller's), 429, every 5xx and anything unexpected: Argo CD is not
  // usable now. Never a 500 of ours.
  const transient = code === 'unavailable' || code === 'unauthenticated';
  const info: ArgoCdErrorInfo = { code, status, transient, refusal };
  switch (code) {
    case 'invalid-request':
      return withArgoCdInfo(new InputError(message), info);
    case 'permission-denied':
      return withArgoCdInfo(new NotAllowedError(message), info);
    case 'not-found':
      return withArgoCdInfo(new NotFoundError(message), info);
    case 'conflict':
      return withArgoCdInfo(new ConflictError(message), info);
    default:
      return withArgoCdInfo(new ServiceUnavailableError(message), info);
  }
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
): ArgoCdError {
  return withArgoCdInfo(
    new ServiceUnavailableError(
      `Argo CD instance '${instance}' answered ${statusLine(
        status,
      )} to ${operation} with ${what}`,
    ),
    { code: 'invalid-response', status, transient: true },
  );
}

/** Argo CD did not answer within the instance's time budget. */
export function argoTimeout(
  instance: string,
  operation: string,
  timeoutMs: number,
): ArgoCdError {
  return withArgoCdInfo(
    new ServiceUnavailableError(
      `Argo CD instance '${instance}' did not answer ${operation} within ${timeoutMs} ms`,
    ),
    { code: 'timeout', transient: true },
  );
}

/** Argo CD could not be reached (connection refused, reset, DNS). */
export function argoUnreachable(message: string): ArgoCdError {
  return withArgoCdInfo(new ServiceUnavailableError(message), {
    code: 'unavailable',
    transient: true,
  });
}

/** An instance name that is not in the config. */
export function argoNotConfigured(instance: string): ArgoCdError {
  return withArgoCdInfo(
    new NotFoundError(`Argo CD instance '${instance}' is not configured`),
    { code: 'not-configured', transient: false },
  );
}

/** Whether a GET answered with this status may be retried. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}
