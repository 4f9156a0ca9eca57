import { useMemo } from 'react';
import { Box, Typography, makeStyles } from '@material-ui/core';
import { Skeleton } from '@material-ui/lab';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { openChangeOf, useEntityGitOps } from '../../hooks/useEntityGitOps';
import { isGitOpsAvailable } from '../../utils/isGitOpsAvailable';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { ChangeStateChip, HealthChip, SyncChip } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';
import { GitOpsNotConfigured } from '../NotConfigured/GitOpsNotConfigured';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: '80px minmax(0, 1fr) auto',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  env: { fontWeight: 700, textTransform: 'uppercase' },
  version: {
    fontFamily: 'ui-monospace, monospace',
    fontWeight: 600,
    whiteSpace: 'nowrap',
  },
}));

/**
 * Summary of what runs where, for the entity overview.
 *
 * @public
 */
export function EntityGitOpsSummaryCard() {
  const { entity } = useEntity();
  const t = useGitOpsTranslation();
  if (!isGitOpsAvailable(entity)) {
    return (
      <InfoCard title={t('summaryTitle')}>
        <GitOpsNotConfigured />
      </InfoCard>
    );
  }
  return <SummaryCardContent entityRefObj={entity} />;
}

function SummaryCardContent({
  entityRefObj,
}: {
  entityRefObj: Parameters<typeof getCompoundEntityRef>[0];
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const compound = useMemo(
    () => getCompoundEntityRef(entityRefObj),
    [entityRefObj],
  );
  const ref = useMemo(() => stringifyEntityRef(entityRefObj), [entityRefObj]);
  const data = useEntityGitOps(compound, ref);
  const envs = [...(data.state?.environments ?? [])].sort(
    (a, b) => a.order - b.order,
  );
  return (
    <InfoCard
      title={t('summaryTitle')}
      subheader={
        data.state
          ? t('pipelineLabel', { pipeline: data.state.pipeline })
          : undefined
      }
      deepLink={{ title: t('summaryDeepLink'), link: 'gitops' }}
    >
      {data.loading && !data.state && (
        <Box aria-busy="true" aria-label={t('loadingLabel')}>
          <Skeleton height={36} />
          <Skeleton height={36} />
          <Skeleton height={36} />
        </Box>
      )}
      {data.error && !data.state && <ResponseErrorPanel error={data.error} />}
      {envs.map(env => {
        const open = openChangeOf(data.changes, env.name);
        return (
          <div
            className={classes.row}
            key={env.name}
            aria-label={t('card.environment', { env: env.name })}
          >
            <Typography className={classes.env}>{env.name}</Typography>
            <Box>
              <Typography className={classes.version}>
                {env.version ?? t('card.noVersion')}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {env.error ? (
                  env.error.message
                ) : (
                  <RelativeTime iso={env.lastDeployedAt} />
                )}
              </Typography>
            </Box>
            <Box
              display="flex"
              gridGap={4}
              flexWrap="wrap"
              justifyContent="flex-end"
            >
              <SyncChip status={env.syncStatus} />
              <HealthChip
                status={env.health?.status}
                message={env.health?.message}
              />
              {open && <ChangeStateChip state={open.state} />}
            </Box>
          </div>
        );
      })}
    </InfoCard>
  );
}
