import { ResponseError, isError } from '@backstage/errors';

/**
 * What went wrong, from the error's type (the serialized Backstage error name)
 * or the HTTP status code; never from the text of its message.
 */
export type GitOpsErrorKind =
  | 'input'
  | 'notAllowed'
  | 'notFound'
  | 'conflict'
  | 'unavailable'
  | 'unknown';

const KIND_BY_NAME: Record<string, GitOpsErrorKind> = {
  InputError: 'input',
  AuthenticationError: 'notAllowed',
  NotAllowedError: 'notAllowed',
  NotFoundError: 'notFound',
  ConflictError: 'conflict',
  NotModifiedError: 'conflict',
  ServiceUnavailableError: 'unavailable',
};

function kindOfStatus(status: number): GitOpsErrorKind {
  if (status === 400 || status === 422) return 'input';
  if (status === 401 || status === 403) return 'notAllowed';
  if (status === 404) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status >= 500) return 'unavailable';
  return 'unknown';
}

/** Whether the backend answered with a serialized Backstage error (JSON), not e.g. a proxy's HTML page. */
function hasErrorBody(e: ResponseError): boolean {
  const type = e.response?.headers?.get('content-type') ?? '';
  return type.includes('json') && Boolean(e.body?.response);
}

/** The kind of a failed request or thrown error. */
export function errorKind(e: unknown): GitOpsErrorKind {
  if (e instanceof ResponseError) {
    const byName = hasErrorBody(e)
      ? KIND_BY_NAME[e.body.error.name]
      : undefined;
    return byName ?? kindOfStatus(e.statusCode);
  }
  if (isError(e)) return KIND_BY_NAME[e.name] ?? 'unknown';
  return 'unknown';
}

/**
 * The server's sentence for a failed request (not just "Request failed with
 * 403"); for a body that is not a Backstage error (a proxy's HTML page) only
 * the status and its short reason, never the body.
 */
export function errorMessage(e: unknown): string {
  if (e instanceof ResponseError) {
    if (hasErrorBody(e)) return e.body.error.message;
    return `${e.statusCode} ${e.statusText ?? ''}`.trim();
  }
  if (isError(e)) return e.message;
  return String(e);
}
