import { Box, CircularProgress, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ChangePreview } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { ChecksList } from '../common/ChecksList';
import { errorMessage } from '../../utils/errors';

/** What the policy says about the change being composed (a dry evaluation). */
export function PolicyPreview(props: {
  /** Whether the dialog has a complete request to evaluate. */
  requested: boolean;
  /** Whether `preview` answers the request as it is now. */
  current: boolean;
  preview?: ChangePreview;
  error?: Error;
}) {
  const t = useGitOpsTranslation();
  const { preview, error } = props;
  if (!props.requested) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  if (!props.current || !preview) {
    return (
      <Box display="flex" alignItems="center" gridGap={8} role="status">
        <CircularProgress size={16} />{' '}
        <Typography variant="body2">{t('dialog.checksLoading')}</Typography>
      </Box>
    );
  }
  return (
    <>
      <Alert severity={preview.allowed ? 'success' : 'error'} role="status">
        {preview.allowed
          ? t('dialog.previewAllowed')
          : t('dialog.previewBlocked')}{' '}
        {preview.requiredApprovals === 0
          ? t('dialog.noApprovalNeeded')
          : t('dialog.needsApprovals', { count: preview.requiredApprovals })}
      </Alert>
      <ChecksList checks={preview.checks} />
    </>
  );
}
