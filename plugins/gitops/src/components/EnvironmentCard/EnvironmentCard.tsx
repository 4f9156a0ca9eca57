import {
  Box,
  Card,
  CardActions,
  CardContent,
  LinearProgress,
  Link,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import LaunchIcon from '@material-ui/icons/Launch';
import WarningIcon from '@material-ui/icons/Warning';
import type {
  ChangeRequest,
  EnvironmentState,
  ImageDigests,
} from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { shortSha, userName } from '../../utils/time';
import { WindowLine } from './WindowLine';
import { ChangeStateChip, HealthChip, SyncChip } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';
import { ActionButton } from '../common/ActionButton';
import type { ActionAvailability } from '../../utils/actions';
import { WhyButton } from '../Troubleshooting';
import { EnvironmentDigest } from '../Images/ImageDigest';

const useStyles = makeStyles(theme => ({
  card: {
    // fills its slot beside the verification panel below it (the slot is a flex column)
    flex: '1 1 auto',
    display: 'flex',
    flexDirection: 'column',
    borderTop: `4px solid ${theme.palette.divider}`,
  },
  ok: { borderTopColor: theme.palette.status.ok },
  warning: { borderTopColor: theme.palette.status.warning },
  error: {
    borderTopColor: theme.palette.status.error,
    boxShadow: `0 0 0 1px ${theme.palette.status.error}`,
  },
  running: { borderTopColor: theme.palette.status.running },
  header: {
    display: 'flex',
    alignItems: 'baseline',
    justifyContent: 'space-between',
  },
  envName: { fontWeight: 700, textTransform: 'uppercase', letterSpacing: 1 },
  version: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 22,
    fontWeight: 600,
    margin: theme.spacing(1, 0),
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1),
  },
  label: { color: theme.palette.text.secondary, minWidth: 90 },
  content: { flexGrow: 1 },
  actions: {
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    padding: theme.spacing(1, 2, 2),
  },
  unhealthyIcon: { color: theme.palette.error.main },
}));

export interface EnvironmentCardProps {
  env: EnvironmentState;
  /** The entity, for the image digest of what runs (not shown without it). */
  entity?: CompoundEntityRef;
  /** The environment's image digests when the tab already has them (not fetched then). */
  digests?: ImageDigests;
  openChange?: ChangeRequest;
  /** The change request whose operation deployed what runs now, if any. */
  deployedBy?: ChangeRequest;
  /** Environment that takes its versions from this one. */
  next?: EnvironmentState;
  promote: ActionAvailability;
  sync: ActionAvailability;
  rollback: ActionAvailability;
  override: ActionAvailability;
  onPromote: () => void;
  onSync: () => void;
  onRollback: () => void;
  onOverride: () => void;
  onOpenChange: (change: ChangeRequest) => void;
}

function cardTone(
  env: EnvironmentState,
): 'ok' | 'warning' | 'error' | 'running' | undefined {
  if (
    env.error ||
    env.health?.status === 'Degraded' ||
    env.health?.status === 'Missing'
  )
    return 'error';
  if (
    env.operation?.phase === 'Running' ||
    env.health?.status === 'Progressing'
  )
    return 'running';
  if (env.syncStatus === 'OutOfSync') return 'warning';
  if (env.health?.status === 'Healthy') return 'ok';
  return undefined;
}

/** One environment of the pipeline: what runs, its state, and what you can do. */
export function EnvironmentCard(props: EnvironmentCardProps) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const { env, openChange, next } = props;
  const tone = cardTone(env);
  const op = env.operation;
  const running = op?.phase === 'Running' || op?.phase === 'Terminating';
  const opFailed = op && (op.phase === 'Failed' || op.phase === 'Error');
  const operationText = op?.revision
    ? t('card.syncingTo', { revision: op.revision.slice(0, 7) })
    : t('card.operationRunning');
  return (
    <Card
      className={`${classes.card} ${tone ? classes[tone] : ''}`}
      component="section"
      aria-label={t('card.environment', { env: env.name })}
      data-testid={`env-card-${env.name}`}
    >
      <CardContent className={classes.content}>
        <div className={classes.header}>
          <Typography variant="h6" component="h3" className={classes.envName}>
            {env.name}
          </Typography>
          {env.application?.url ? (
            <Link
              href={env.application.url}
              target="_blank"
              rel="noopener noreferrer"
              variant="caption"
              aria-label={t('card.openInArgo', { app: env.application.name })}
            >
              {env.application.name} <LaunchIcon style={{ fontSize: 12 }} />
            </Link>
          ) : (
            <Typography variant="caption">{env.application?.name}</Typography>
          )}
        </div>
        <Typography
          className={classes.version}
          aria-label={t('card.version', {
            version: env.version ?? t('card.noVersion'),
          })}
          data-testid={`env-version-${env.name}`}
        >
          {env.version ?? <em>{t('card.noVersion')}</em>}
        </Typography>
        <EnvironmentDigest
          entity={props.entity}
          env={env.name}
          version={env.version}
          initial={props.digests}
        />
        <div className={classes.row}>
          <SyncChip status={env.syncStatus} />
          <HealthChip
            status={env.health?.status}
            message={env.health?.message}
          />
          {env.revision && (
            <Tooltip title={t('card.revision', { revision: env.revision })}>
              <Typography variant="caption" style={{ fontFamily: 'monospace' }}>
                @{shortSha(env.revision)}
              </Typography>
            </Tooltip>
          )}
          {openChange && (
            <ChangeStateChip
              state={openChange.state}
              suffix={
                openChange.state === 'awaiting_approval'
                  ? `(${
                      openChange.approvals.filter(a => a.decision === 'approve')
                        .length
                    }/${openChange.requiredApprovals})`
                  : openChange.version
              }
              onClick={() => props.onOpenChange(openChange)}
            />
          )}
        </div>
        {running && (
          <Box mb={1} role="status" aria-live="polite">
            <Typography variant="body2">
              {operationText}
              {op?.dryRun ? ` (${t('card.dryRun')})` : ''}
              {op?.message ? `: ${op.message}` : ''}
            </Typography>
            <LinearProgress aria-label={operationText} />
          </Box>
        )}
        <div className={classes.row}>
          <Typography variant="body2" className={classes.label}>
            {t('card.lastDeploy')}
          </Typography>
          <Typography variant="body2" component="span">
            {env.lastDeployedAt ? (
              <>
                <RelativeTime iso={env.lastDeployedAt} />
                {env.lastDeployedBy
                  ? ` ${t('card.deployedBy', {
                      user: userName(env.lastDeployedBy) ?? '',
                    })}`
                  : ''}
                {props.deployedBy
                  ? ` · ${t('card.viaChange', {
                      user: userName(props.deployedBy.requestedBy) ?? '',
                    })}`
                  : ''}
              </>
            ) : (
              t('card.neverDeployed')
            )}
          </Typography>
        </div>
        <WindowLine env={env} />
        {env.unhealthyResources > 0 && (
          <div className={classes.row}>
            <WarningIcon fontSize="small" className={classes.unhealthyIcon} />
            <Typography variant="body2">
              {t('card.unhealthyResources', {
                count: env.unhealthyResources,
              })}
            </Typography>
          </div>
        )}
        {env.health?.status === 'Degraded' && (
          <Alert severity="error" role="alert">
            {t('card.degradedBanner', { env: env.name })}
            {env.health.message ? `: ${env.health.message}` : ''}
          </Alert>
        )}
        {opFailed && !running && (
          <Alert severity="warning">
            {t('card.operationFailed')}
            {op?.message ? `: ${op.message}` : ''}
          </Alert>
        )}
        {env.error && (
          <Alert severity="error" role="alert">
            <strong>{t('card.environmentError', { env: env.name })}</strong>:{' '}
            {env.error.message}
            {env.error.instance ? ` (${env.error.instance})` : ''}
          </Alert>
        )}
        {env.conditions.map(c => (
          <Alert
            key={`${c.type}-${c.message}`}
            severity="warning"
            style={{ marginTop: 8 }}
          >
            {c.type}: {c.message}
          </Alert>
        ))}
      </CardContent>
      <CardActions
        className={classes.actions}
        aria-label={t('card.actionsFor', { env: env.name })}
      >
        <WhyButton env={env} />
        {next && (
          <ActionButton
            label={t('actions.promoteTo', { env: next.name })}
            availability={props.promote}
            onClick={props.onPromote}
            variant="contained"
          />
        )}
        <ActionButton
          label={t('actions.sync')}
          availability={props.sync}
          onClick={props.onSync}
        />
        <ActionButton
          label={t('actions.rollback')}
          availability={props.rollback}
          onClick={props.onRollback}
        />
        <ActionButton
          label={t('actions.emergency')}
          availability={props.override}
          onClick={props.onOverride}
          variant="contained"
          danger
          startIcon={<WarningIcon />}
        />
      </CardActions>
    </Card>
  );
}
