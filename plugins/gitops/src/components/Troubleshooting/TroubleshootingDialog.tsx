import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import {
  Box,
  Dialog,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Grid,
  IconButton,
  Switch,
  Typography,
} from '@material-ui/core';
import CloseIcon from '@material-ui/icons/Close';
import type {
  EnvironmentState,
  ResourceTreeNode,
} from '@internal/plugin-gitops-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { LastOperationPanel } from './LastOperationPanel';
import { OutOfSyncPanel } from './OutOfSyncPanel';
import { PodLogs } from './PodLogs';
import { ResourceEventsList } from './ResourceEventsList';
import {
  ResourceTreeView,
  firstUnhealthyLeaf,
  nodeId,
} from './ResourceTreeView';

/** What makes an environment worth a "Why?". */
export function troubleOf(
  t: GitOpsT,
  env: EnvironmentState,
): string | undefined {
  if (env.operation?.phase === 'Failed' || env.operation?.phase === 'Error')
    return t('troubleshooting.troubleSyncFailed');
  if (env.health?.status === 'Degraded' || env.health?.status === 'Missing')
    return env.health.status;
  if (env.syncStatus === 'OutOfSync') return 'OutOfSync';
  return undefined;
}

/**
 * Why an environment is Degraded, OutOfSync or failed: the resource tree
 * with the unhealthy path opened, the selected resource's events beside it,
 * a pod's logs, the last operation's results and the OutOfSync causes.
 */
export function TroubleshootingDialog(props: {
  entity: CompoundEntityRef;
  env: EnvironmentState;
  open: boolean;
  onClose: () => void;
}) {
  const { entity, env, open, onClose } = props;
  const api = useApi(gitopsApiRef);
  const t = useGitOpsTranslation();
  const [onlyUnhealthy, setOnlyUnhealthy] = useState(false);
  const [selected, setSelected] = useState<ResourceTreeNode | undefined>();
  const key = [api, entity.kind, entity.namespace, entity.name, env.name];
  const tree = useAsync(
    async () =>
      open
        ? api.getResourceTree(
            entity,
            env.name,
            onlyUnhealthy ? ['Degraded', 'Missing', 'Progressing'] : undefined,
          )
        : undefined,
    [...key, open, onlyUnhealthy],
  );
  const operation = useAsync(
    async () => (open ? api.getLastOperation(entity, env.name) : undefined),
    [...key, open],
  );
  const outOfSync = useAsync(
    async () =>
      open && env.syncStatus === 'OutOfSync'
        ? api.getOutOfSync(entity, env.name)
        : undefined,
    [...key, open, env.syncStatus],
  );
  useEffect(() => {
    if (tree.value && !selected)
      setSelected(firstUnhealthyLeaf(tree.value.roots));
  }, [tree.value, selected]);

  const why = troubleOf(t, env) ?? env.health?.status ?? '';
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="gitops-why-title"
    >
      <DialogTitle id="gitops-why-title">
        {t('troubleshooting.whyLabel', { env: env.name, trouble: why })}
        <IconButton
          aria-label={t('troubleshooting.close')}
          onClick={onClose}
          style={{ position: 'absolute', right: 8, top: 8 }}
        >
          <CloseIcon />
        </IconButton>
      </DialogTitle>
      <DialogContent dividers>
        {operation.error && <ResponseErrorPanel error={operation.error} />}
        {operation.value &&
          (operation.value.operation?.phase !== 'Succeeded' ||
            operation.value.conditions.length > 0) && (
            <Box mb={2}>
              <Typography variant="h6">
                {t('troubleshooting.lastSync')}
              </Typography>
              <LastOperationPanel value={operation.value} />
            </Box>
          )}
        {outOfSync.error && <ResponseErrorPanel error={outOfSync.error} />}
        {outOfSync.value && (
          <Box mb={2}>
            <Typography variant="h6">
              {t('troubleshooting.whyOutOfSync')}
            </Typography>
            <OutOfSyncPanel value={outOfSync.value} />
          </Box>
        )}
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="h6">{t('troubleshooting.resources')}</Typography>
          <FormControlLabel
            control={
              <Switch
                checked={onlyUnhealthy}
                onChange={e => setOnlyUnhealthy(e.target.checked)}
                inputProps={{
                  'aria-label': t('troubleshooting.onlyUnhealthyLabel'),
                }}
              />
            }
            label={t('troubleshooting.onlyUnhealthy')}
          />
        </Box>
        {tree.loading && <Progress />}
        {tree.error && <ResponseErrorPanel error={tree.error} />}
        {tree.value && (
          <Grid container spacing={2}>
            <Grid item xs={12} md={6}>
              {tree.value.roots.length === 0 ? (
                <Typography variant="body2">
                  {t('troubleshooting.noResourcesMatch')}
                </Typography>
              ) : (
                <ResourceTreeView
                  roots={tree.value.roots}
                  selected={selected ? nodeId(selected) : undefined}
                  onSelect={setSelected}
                />
              )}
            </Grid>
            <Grid item xs={12} md={6}>
              <ResourceEventsList
                entity={entity}
                env={env.name}
                node={selected}
              />
            </Grid>
            {selected?.kind === 'Pod' && (
              <Grid item xs={12}>
                <PodLogs
                  key={selected.name}
                  entity={entity}
                  env={env.name}
                  pod={selected}
                />
              </Grid>
            )}
          </Grid>
        )}
      </DialogContent>
    </Dialog>
  );
}
