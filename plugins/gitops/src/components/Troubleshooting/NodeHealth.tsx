import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ResourceHealthStatus } from '@internal/plugin-gitops-common';

/** A resource's health with the core-components status colours. */
export function NodeHealth({ status }: { status?: ResourceHealthStatus }) {
  switch (status) {
    case 'Healthy':
      return <StatusOK>Healthy</StatusOK>;
    case 'Degraded':
      return <StatusError>Degraded</StatusError>;
    case 'Missing':
      return <StatusWarning>Missing</StatusWarning>;
    case 'Progressing':
      return <StatusRunning>Progressing</StatusRunning>;
    case 'Suspended':
      return <StatusPending>Suspended</StatusPending>;
    default:
      return <StatusAborted>{status ?? 'Unknown'}</StatusAborted>;
  }
}
