import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type { ResourceTreeNode } from '@internal/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

const useStyles = makeStyles(theme => ({
  event: {
    borderLeft: `3px solid ${theme.palette.divider}`,
    padding: theme.spacing(0.5, 1),
    marginBottom: theme.spacing(1),
  },
  warning: { borderLeftColor: theme.palette.status.error },
  meta: { color: theme.palette.text.secondary },
}));

/** Events of one resource (or of the application when `node` is undefined), newest first. */
export function ResourceEventsList(props: {
  entity: CompoundEntityRef;
  env: string;
  node?: ResourceTreeNode;
}) {
  const { entity, env, node } = props;
  const api = useApi(gitopsApiRef);
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const { value, loading, error } = useAsync(
    () =>
      api.getResourceEvents(
        entity,
        env,
        node
          ? { uid: node.uid, name: node.name, namespace: node.namespace }
          : undefined,
      ),
    [
      api,
      entity.kind,
      entity.namespace,
      entity.name,
      env,
      node?.uid,
      node?.name,
    ],
  );
  const title = node
    ? t('troubleshooting.events.ofResource', {
        kind: node.kind,
        name: node.name,
      })
    : t('troubleshooting.events.ofApplication');
  return (
    <Box aria-label={title} role="region">
      <Typography variant="subtitle2" gutterBottom>
        {title}
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.items.length === 0 && (
        <Typography variant="body2" className={classes.meta}>
          {t('troubleshooting.events.none')}
        </Typography>
      )}
      {value?.items.map((e, i) => (
        <Box
          key={`${e.reason}-${i}`}
          className={`${classes.event} ${
            e.type === 'Warning' ? classes.warning : ''
          }`}
        >
          <Typography variant="body2">
            <strong>{e.reason}</strong>
            {e.type === 'Warning'
              ? t('troubleshooting.events.warning')
              : ''}: {e.message}
          </Typography>
          <Typography variant="caption" className={classes.meta}>
            {e.count && e.count > 1 ? `${e.count}× · ` : ''}
            {e.lastTimestamp ?? e.firstTimestamp ?? ''}
            {e.source ? ` · ${e.source}` : ''}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
