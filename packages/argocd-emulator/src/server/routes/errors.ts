/** Renders errors as Argo CD (grpc-gateway) or Kubernetes (Status) bodies. */
import type { ErrorRequestHandler } from 'express';
import { ArgoError, argoErrors, GrpcCode } from '../../logic/errors';
import { KubeStatusError } from '../KubeSecrets';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof KubeStatusError) {
    res.status(err.code).json(err.toBody());
    return;
  }
  if (err instanceof ArgoError) {
    res.status(err.httpStatus).json(err.toBody());
    return;
  }
  if (err?.type === 'entity.parse.failed') {
    const e = argoErrors.invalidArgument(
      `invalid character in request body: ${err.message}`,
    );
    res.status(e.httpStatus).json(e.toBody());
    return;
  }
  const e = new ArgoError(GrpcCode.Internal, String(err?.message ?? err));
  res.status(e.httpStatus).json(e.toBody());
};
