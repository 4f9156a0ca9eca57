/** Fault injection in front of every route but the admin API: down, latency, error rate. */
import type { RequestHandler } from 'express';
import { ArgoError, GrpcCode } from '../../logic/errors';
import type { Faults } from '../faults';
import { KubeStatusError } from '../KubeSecrets';

function sleep(ms: number) {
  return new Promise(r => setTimeout(r, ms));
}

export function faultsMiddleware(faults: () => Faults): RequestHandler {
  return (req, res, next) => {
    if (req.path.startsWith('/emulator/admin')) return next();
    const f = faults();
    if (f.down) {
      req.socket.destroy();
      return undefined;
    }
    const delay =
      (f.latencyMs ?? 0) + (f.jitterMs ? Math.random() * f.jitterMs : 0);
    const proceed = () => {
      if (f.errorRate && Math.random() < f.errorRate) {
        if (
          req.path.startsWith('/api/v1/namespaces') ||
          req.path === '/api/v1/secrets'
        ) {
          res
            .status(503)
            .json(
              new KubeStatusError(
                503,
                'ServiceUnavailable',
                'emulated fault: the server is currently unable to handle the request',
              ).toBody(),
            );
        } else {
          const e = new ArgoError(
            GrpcCode.Unavailable,
            'emulated fault: connection error: desc = "transport: error while dialing"',
          );
          res.status(e.httpStatus).json(e.toBody());
        }
        return;
      }
      next();
    };
    if (delay > 0) sleep(delay).then(proceed);
    else proceed();
    return undefined;
  };
}
