import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type { ResourceHealthStatus } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

/** A resource's health with the core-components status colours. */
export function NodeHealth({ status }: { status?: ResourceHealthStatus }) {
  const t = useGitOpsTranslation();
  switch (status) {
    case 'Healthy':
      return <StatusOK>{t('troubleshooting.health.Healthy')}</StatusOK>;
    case 'Degraded':
      return <StatusError>{t('troubleshooting.health.Degraded')}</StatusError>;
    case 'Missing':
      return (
        <StatusWarning>{t('troubleshooting.health.Missing')}</StatusWarning>
      );
    case 'Progressing':
      return (
        <StatusRunning>{t('troubleshooting.health.Progressing')}</StatusRunning>
      );
    case 'Suspended':
      return (
        <StatusPending>{t('troubleshooting.health.Suspended')}</StatusPending>
      );
    default:
      return (
        <StatusAborted>
          {status ?? t('troubleshooting.health.Unknown')}
        </StatusAborted>
      );
  }
}
