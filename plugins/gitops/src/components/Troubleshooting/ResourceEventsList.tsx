import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import { Box, Typography, makeStyles } from '@material-ui/core';
import type { ResourceTreeNode } from '@internal/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';

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
    ? `Events of ${node.kind} ${node.name}`
    : 'Events of the application';
  return (
    <Box aria-label={title} role="region">
      <Typography variant="subtitle2" gutterBottom>
        {title}
      </Typography>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {value && value.items.length === 0 && (
        <Typography variant="body2" className={classes.meta}>
          No events (Kubernetes keeps them for about an hour).
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
            {e.type === 'Warning' ? ' (Warning)' : ''}: {e.message}
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
