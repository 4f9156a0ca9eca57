import { Fragment, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Box,
  Button,
  Card,
  CardContent,
  Tab,
  Tabs,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import RefreshIcon from '@material-ui/icons/Refresh';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { GitOpsNotConfigured } from '../NotConfigured/GitOpsNotConfigured';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  type Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/frontend-plugin-api';
import type {
  ChangeKind,
  ChangeRequest,
  EnvironmentState,
} from '@internal/plugin-gitops-common';
import { openChangeOf, useEntityGitOps } from '../../hooks/useEntityGitOps';
import {
  useGitOpsPermissions,
  useUserRef,
} from '../../hooks/useGitOpsPermissions';
import { isGitOpsAvailable } from '../../utils/isGitOpsAvailable';
import {
  overrideAvailability,
  promoteAvailability,
  rollbackAvailability,
  syncAvailability,
} from '../../utils/actions';
import {
  changeStateLabel,
  useGitOpsTranslation,
} from '../../hooks/useGitOpsTranslation';
import { EnvironmentCard } from '../EnvironmentCard/EnvironmentCard';
import { ChangeDialog } from '../ChangeDialog/ChangeDialog';
import { ChangeDetailDialog } from '../ChangeDetail/ChangeDetailDialog';
import { ChangesList } from '../Panels/ChangesList';
import { HistoryPanel } from '../Panels/HistoryPanel';
import { VerificationPanel } from '../Verification/VerificationPanel';
import { DiffPanel } from '../Panels/DiffPanel';
import { LoadingSkeleton } from './LoadingSkeleton';
import { ToneStatus } from '../common/StatusChip';
import { errorMessage } from '../../utils/errors';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  pipeline: { display: 'flex', alignItems: 'stretch', gap: theme.spacing(1) },
  arrow: {
    alignSelf: 'center',
    color: theme.palette.text.secondary,
    flex: '0 0 auto',
  },
  // the card, then its verification panel: a column, so the panel takes its own space
  cardSlot: {
    flex: '1 1 0',
    minWidth: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
  panels: { marginTop: theme.spacing(3) },
}));

interface DialogState {
  kind: ChangeKind;
  target: EnvironmentState;
  source?: EnvironmentState;
  override?: boolean;
}

/** Query parameter that opens one change's review (links of GitOps notifications). */
const CHANGE_PARAM = 'change';

/** The GitOps tab of an entity, for an explicit entity. */
export function GitOpsTab({ entity }: { entity: Entity }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const compound = useMemo(() => getCompoundEntityRef(entity), [entity]);
  const entityRef = useMemo(() => stringifyEntityRef(entity), [entity]);
  const data = useEntityGitOps(compound, entityRef);
  const perms = useGitOpsPermissions(entityRef);
  const userRef = useUserRef();
  const alertApi = useApi(alertApiRef);
  const [dialog, setDialog] = useState<DialogState>();
  // `?change=<id>` (the link of a GitOps notification) opens that change's review.
  const [searchParams, setSearchParams] = useSearchParams();
  const linkedChange = searchParams.get(CHANGE_PARAM) ?? undefined;
  const [detail, setDetail] = useState<string | undefined>(linkedChange);
  useEffect(() => {
    if (linkedChange) setDetail(linkedChange);
  }, [linkedChange]);
  const closeDetail = () => {
    setDetail(undefined);
    if (linkedChange) {
      const next = new URLSearchParams(searchParams);
      next.delete(CHANGE_PARAM);
      setSearchParams(next, { replace: true });
    }
  };
  const [panel, setPanel] = useState(0);
  const [panelEnv, setPanelEnv] = useState<string>();

  if (data.loading && !data.state) return <LoadingSkeleton count={3} />;
  if (data.error && !data.state)
    return <ResponseErrorPanel error={data.error} />;
  const envs = [...(data.state?.environments ?? [])].sort(
    (a, b) => a.order - b.order,
  );
  const selectedEnv = panelEnv ?? envs[envs.length - 1]?.name;

  const onCreated = (c: ChangeRequest) => {
    setDialog(undefined);
    alertApi.post({
      message: t('dialog.created', { state: changeStateLabel(t, c.state) }),
      severity: 'success',
      display: 'transient',
    });
    data.refresh();
    setDetail(c.id);
  };

  return (
    <Box>
      <div className={classes.header}>
        <Typography variant="h5" component="h2">
          {t('pipelineLabel', { pipeline: data.state?.pipeline ?? '' })}
        </Typography>
        {data.live && (
          <ToneStatus
            tone="running"
            label={data.pushed ? t('liveUpdating') : t('livePolled')}
          />
        )}
        <Box flexGrow={1} />
        <Button
          size="small"
          startIcon={<RefreshIcon />}
          onClick={data.refresh}
          aria-label={t('refresh')}
        >
          {t('refresh')}
        </Button>
      </div>
      {data.error && <ResponseErrorPanel error={data.error} />}
      {data.changesError && (
        <Alert severity="warning">
          {t('changesLoadError')}: {errorMessage(data.changesError)}
        </Alert>
      )}
      {envs.length === 0 && (
        <EmptyState
          missing="data"
          title={t('noEnvironmentsTitle')}
          description={t('noEnvironments')}
        />
      )}
      <div
        className={classes.pipeline}
        role="list"
        aria-label={t('pipelineLabel', {
          pipeline: data.state?.pipeline ?? '',
        })}
      >
        {envs.map((env, i) => {
          const next = envs.find(e => e.promotesFrom === env.name);
          const open = openChangeOf(data.changes, env.name);
          const nextOpen = next
            ? openChangeOf(data.changes, next.name)
            : undefined;
          const source = env.promotesFrom
            ? envs.find(e => e.name === env.promotesFrom)
            : undefined;
          return (
            <Fragment key={env.name}>
              {i > 0 && (
                <ArrowForwardIcon className={classes.arrow} aria-hidden />
              )}
              <div className={classes.cardSlot} role="listitem">
                <EnvironmentCard
                  env={env}
                  entity={compound}
                  digests={data.digests?.[env.name]}
                  next={next}
                  openChange={open}
                  deployedBy={
                    env.operation?.changeId
                      ? data.changes.find(c => c.id === env.operation?.changeId)
                      : undefined
                  }
                  promote={
                    next
                      ? promoteAvailability(env, next, nextOpen, perms, t)
                      : { visible: false }
                  }
                  sync={syncAvailability(env, open, perms, t)}
                  rollback={rollbackAvailability(env, open, perms, t)}
                  override={overrideAvailability(env, open, perms, t)}
                  onPromote={() =>
                    next &&
                    setDialog({ kind: 'promote', target: next, source: env })
                  }
                  onSync={() => setDialog({ kind: 'sync', target: env })}
                  onRollback={() =>
                    setDialog({ kind: 'rollback', target: env })
                  }
                  onOverride={() =>
                    setDialog(
                      source
                        ? {
                            kind: 'promote',
                            target: env,
                            source,
                            override: true,
                          }
                        : { kind: 'sync', target: env, override: true },
                    )
                  }
                  onOpenChange={c => setDetail(c.id)}
                />
                <VerificationPanel
                  entity={compound}
                  env={env.name}
                  version={env.version}
                  initial={data.verification?.[env.name]}
                />
              </div>
            </Fragment>
          );
        })}
      </div>

      <Card className={classes.panels}>
        <Tabs
          value={panel}
          onChange={(_, v) => setPanel(v)}
          indicatorColor="primary"
          textColor="primary"
          aria-label={t('detailsTabs')}
        >
          <Tab label={t('panels.changes')} id="gitops-tab-changes" />
          <Tab label={t('panels.history')} id="gitops-tab-history" />
          <Tab label={t('panels.diff')} id="gitops-tab-diff" />
        </Tabs>
        <CardContent>
          {panel > 0 && (
            <Tabs
              value={selectedEnv}
              onChange={(_, v) => setPanelEnv(v)}
              aria-label={t('panels.environmentSelect')}
            >
              {envs.map(e => (
                <Tab key={e.name} value={e.name} label={e.name} />
              ))}
            </Tabs>
          )}
          <Box mt={panel > 0 ? 2 : 0}>
            {panel === 0 && (
              <ChangesList
                changes={data.changes}
                onOpen={c => setDetail(c.id)}
              />
            )}
            {panel === 1 && selectedEnv && (
              <HistoryPanel
                entity={compound}
                env={selectedEnv}
                changes={data.changes}
                onOpenChange={c => setDetail(c.id)}
              />
            )}
            {panel === 2 && selectedEnv && (
              <DiffPanel entity={compound} env={selectedEnv} />
            )}
          </Box>
        </CardContent>
      </Card>

      {dialog && (
        <ChangeDialog
          entity={compound}
          entityRef={entityRef}
          kind={dialog.kind}
          target={dialog.target}
          source={dialog.source}
          canOverride={perms.override.allowed}
          initialOverride={dialog.override}
          onClose={() => setDialog(undefined)}
          onCreated={onCreated}
        />
      )}
      {detail && (
        <ChangeDetailDialog
          changeId={detail}
          userRef={userRef}
          pendingForMe={data.pendingForMe}
          perms={perms}
          windows={Object.fromEntries(envs.map(e => [e.name, e.window]))}
          onClose={closeDetail}
          onChanged={() => data.refresh()}
        />
      )}
    </Box>
  );
}

/**
 * The GitOps tab: the pipeline as environment cards, actions, history, diff and changes.
 *
 * @public
 */
export function EntityGitOpsContent() {
  const { entity } = useEntity();
  if (!isGitOpsAvailable(entity)) return <GitOpsNotConfigured />;
  return <GitOpsTab entity={entity} />;
}
