import { useEffect, useState } from 'react';
import { Alert, Skeleton } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type { EnvironmentDiff } from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { ResourceDiffList } from '../common/DiffView';
import { errorMessage } from '../../utils/errors';

/** Live vs Git of one environment. */
export function DiffPanel(props: { entity: CompoundEntityRef; env: string }) {
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const [diff, setDiff] = useState<EnvironmentDiff>();
  const [error, setError] = useState<Error>();
  const { entity, env } = props;
  useEffect(() => {
    setDiff(undefined);
    setError(undefined);
    api.getDiff(entity, env).then(setDiff, setError);
  }, [api, entity, env]);
  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  if (!diff)
    return (
      <Skeleton variant="rect" height={120} aria-label={t('loadingLabel')} />
    );
  return <ResourceDiffList items={diff.items} />;
}
