import { Box, Typography } from '@material-ui/core';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { GITOPS_ANNOTATIONS } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

/**
 * Explains the annotations when the entity is not configured: the catalog's
 * missing-annotation state for `gitops/app`, after the alternatives.
 */
export function GitOpsNotConfigured() {
  const t = useGitOpsTranslation();
  return (
    <Box>
      <Typography variant="h6" component="h2">
        {t('notConfigured.title')}
      </Typography>
      <Typography variant="body2">{t('notConfigured.description')}</Typography>
      <MissingAnnotationEmptyState annotation={GITOPS_ANNOTATIONS.app} />
    </Box>
  );
}
