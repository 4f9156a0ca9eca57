import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';

/**
 * What went wrong with a registry call, as a code rather than a message
 * pattern (like the Argo CD client's). Messages name the registry host and
 * the operation, never credentials, tokens or upstream bodies.
 *
 * @internal
 */
export type RegistryErrorCode =
  /** No `gitops.registries[]` entry for the image's host. */
  | 'not-configured'
  /** Connection refused, DNS, TLS: nothing answered. */
  | 'unreachable'
  | 'timeout'
  /** 401 after the auth flow (our credentials or the token were refused). */
  | 'unauthenticated'
  /** 403. */
  | 'permission-denied'
  /** 429, 5xx or another unexpected status. */
  | 'unavailable'
  /** An answer of the wrong shape (bad JSON, bad digest header, bad token). */
  | 'invalid-response';

/** The code an error of the registry client carries. @internal */
export interface RegistryErrorInfo {
  code: RegistryErrorCode;
  host: string;
  status?: number;
}

/** An `@backstage/errors` error carrying a {@link RegistryErrorInfo} (not enumerable). @internal */
export type RegistryError = Error & { readonly registry: RegistryErrorInfo };

/** Creates the error of a failed registry call. @internal */
export function registryError(
  info: RegistryErrorInfo,
  message: string,
): RegistryError {
  const error =
    info.code === 'permission-denied'
      ? new NotAllowedError(message)
      : new ServiceUnavailableError(message);
  Object.defineProperty(error, 'registry', {
    value: Object.freeze({ ...info }),
    enumerable: false,
  });
  return error as RegistryError;
}

/** The info of an error the registry client created; undefined otherwise. @internal */
export function registryErrorInfo(e: unknown): RegistryErrorInfo | undefined {
  const info = (e as Partial<RegistryError> | undefined)?.registry;
  return info && typeof info === 'object' && typeof info.code === 'string'
    ? info
    : undefined;
}

/** The error of a call to one registry: its host prefixed to the detail. @internal */
export function hostRegistryError(
  registry: { host: string },
  code: RegistryErrorCode,
  detail: string,
  status?: number,
): RegistryError {
  return registryError(
    { code, host: registry.host, ...(status ? { status } : {}) },
    `registry ${registry.host}: ${detail}`,
  );
}

/** Throws the error of a non-2xx answer: 401 unauthenticated, 403 permission-denied, else unavailable. @internal */
export function expectRegistryOk(
  registry: { host: string },
  res: Response,
  what: string,
): void {
  if (res.ok) return;
  let code: RegistryErrorCode = 'unavailable';
  if (res.status === 401) code = 'unauthenticated';
  else if (res.status === 403) code = 'permission-denied';
  throw hostRegistryError(
    registry,
    code,
    `${what} answered ${res.status}${
      code === 'unauthenticated' ? ' (credentials refused)' : ''
    }`,
    res.status,
  );
}
