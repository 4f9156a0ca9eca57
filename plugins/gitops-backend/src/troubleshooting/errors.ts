import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { EnvironmentError } from '@internal/plugin-gitops-common';
import { ArgoApplication } from '../argocd/types';

/**
 * Errors of the troubleshooting reads: Argo CD refusing a read names the
 * Argo CD permission the Backstage account lacks; the read side's
 * environment errors keep their type.
 */

/** Which Argo CD permission each read needs (for a refused call's message). */
const ARGO_PERMISSION = {
  tree: 'applications, get',
  events: 'applications, get',
  logs: 'logs, get',
  managed: 'applications, get',
} as const;

/** Runs one Argo CD read; a refusal by Argo CD's RBAC becomes a message naming the missing Argo CD permission. */
export async function argoCall<T>(
  l: { instance: string; app: ArgoApplication },
  what: keyof typeof ARGO_PERMISSION,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if ((e as Error).name === 'NotAllowedError') {
      const permission = ARGO_PERMISSION[what];
      throw new NotAllowedError(
        `Argo CD instance '${l.instance}' refused to ${
          what === 'logs'
            ? 'read the logs'
            : `read the ${what === 'managed' ? 'managed resources' : what}`
        } of application '${
          l.app.metadata.name
        }': the Argo CD account Backstage uses needs the Argo CD permission '${permission}' on '${
          l.app.spec.project
        }/${l.app.metadata.name}' (Argo CD RBAC: p, <role>, ${permission}, ${
          l.app.spec.project
        }/${l.app.metadata.name}, allow)`,
      );
    }
    throw e;
  }
}

/** The read side's error of an environment as a `@backstage/errors` error of the same name. */
export function fromEnvironmentError(e: EnvironmentError): Error {
  switch (e.name) {
    case 'NotFoundError':
      return new NotFoundError(e.message);
    case 'InputError':
      return new InputError(e.message);
    case 'NotAllowedError':
      return new NotAllowedError(e.message);
    case 'ConflictError':
      return new ConflictError(e.message);
    default:
      return new ServiceUnavailableError(e.message);
  }
}
