/**
 * Argo CD (grpc-gateway v1) error model: a gRPC status code mapped to an HTTP
 * status, rendered as `{error, code, message}`.
 */

/** gRPC status codes used by Argo CD's API server. @public */
export const GrpcCode = {
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

/** HTTP status for a gRPC code, as grpc-gateway v1 maps it. @public */
export function httpStatusForGrpcCode(code: number): number {
  switch (code) {
    case 0:
      return 200;
    case GrpcCode.Canceled:
      return 408;
    case GrpcCode.InvalidArgument:
    case GrpcCode.FailedPrecondition:
    case GrpcCode.OutOfRange:
      return 400;
    case GrpcCode.DeadlineExceeded:
      return 504;
    case GrpcCode.NotFound:
      return 404;
    case GrpcCode.AlreadyExists:
    case GrpcCode.Aborted:
      return 409;
    case GrpcCode.PermissionDenied:
      return 403;
    case GrpcCode.ResourceExhausted:
      return 429;
    case GrpcCode.Unimplemented:
      return 501;
    case GrpcCode.Unavailable:
      return 503;
    case GrpcCode.Unauthenticated:
      return 401;
    default:
      return 500;
  }
}

/** An error the emulator answers with Argo CD's error body. @public */
export class ArgoError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'ArgoError';
    this.code = code;
  }

  get httpStatus(): number {
    return httpStatusForGrpcCode(this.code);
  }

  toBody(): { error: string; code: number; message: string } {
    return { error: this.message, code: this.code, message: this.message };
  }
}

/** Standard Argo CD errors (texts as Argo CD v3.5.1 words them). @public */
export const argoErrors = {
  noSession: () =>
    new ArgoError(GrpcCode.Unauthenticated, 'no session information'),
  invalidSession: (reason: string) =>
    new ArgoError(GrpcCode.Unauthenticated, `invalid session: ${reason}`),
  permissionDenied: () =>
    new ArgoError(GrpcCode.PermissionDenied, 'permission denied'),
  appNotFound: (name: string) =>
    new ArgoError(
      GrpcCode.NotFound,
      `applications.argoproj.io "${name}" not found`,
    ),
  projectNotFound: (name: string) =>
    new ArgoError(
      GrpcCode.NotFound,
      `appprojects.argoproj.io "${name}" not found`,
    ),
  multipleProjects: () =>
    new ArgoError(
      GrpcCode.InvalidArgument,
      'multiple projects specified - the get endpoint accepts either zero or one project',
    ),
  blockedByWindow: () =>
    new ArgoError(
      GrpcCode.PermissionDenied,
      'cannot sync: blocked by sync window',
    ),
  invalidWindow: (err: string) =>
    new ArgoError(
      GrpcCode.PermissionDenied,
      `cannot sync: invalid sync window: ${err}`,
    ),
  autoSyncRevision: (rev: string, target: string) =>
    new ArgoError(
      GrpcCode.FailedPrecondition,
      `Cannot sync to ${rev}: auto-sync currently set to ${target}`,
    ),
  operationInProgress: () =>
    new ArgoError(
      GrpcCode.FailedPrecondition,
      'error setting app operation: another operation is already in progress',
    ),
  deleting: () =>
    new ArgoError(GrpcCode.FailedPrecondition, 'application is deleting'),
  rollbackAutoSync: () =>
    new ArgoError(
      GrpcCode.FailedPrecondition,
      'rollback cannot be initiated when auto-sync is enabled',
    ),
  rollbackUnknownId: (ns: string, name: string, id: number | string) =>
    new ArgoError(
      GrpcCode.InvalidArgument,
      `application ${ns}/${name} does not have deployment with id ${id}`,
    ),
  rollbackNoSource: () =>
    new ArgoError(
      GrpcCode.FailedPrecondition,
      'cannot rollback to revision deployed with Argo CD v0.11 or lower. sync to revision instead.',
    ),
  nothingToTerminate: () =>
    new ArgoError(
      GrpcCode.InvalidArgument,
      'Unable to terminate operation. No operation is in progress',
    ),
  patchTypeUnsupported: (t: string) =>
    new ArgoError(
      GrpcCode.InvalidArgument,
      `Patch type '${t}' is not supported`,
    ),
  unresolvableRevision: (rev: string) =>
    new ArgoError(
      GrpcCode.FailedPrecondition,
      `error resolving repo revision: rpc error: code = Unknown desc = unable to resolve git revision ${rev}: unable to resolve '${rev}' to a commit SHA`,
    ),
  invalidArgument: (msg: string) =>
    new ArgoError(GrpcCode.InvalidArgument, msg),
  notFoundRoute: () => new ArgoError(GrpcCode.NotFound, 'Not Found'),
};
