import { useCallback, useEffect, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  Grid,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  GITOPS_CHANGES_CHANNEL,
  type ChangeRequest,
  type ChangeRequestDetail,
  type GitOpsChangesSignal,
  type WindowState,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import {
  kindLabel,
  useGitOpsTranslation,
  versionChange,
} from '../../hooks/useGitOpsTranslation';
import { formatDual, shortSha, userName } from '../../utils/time';
import { ChecksList } from '../common/ChecksList';
import { ChangeStateChip, ToneStatus } from '../common/StatusChip';
import { ActionButton } from '../common/ActionButton';
import { ApprovalList, EventList } from './ChangeLists';
import { cancelAvailability, decisionAvailability } from '../../utils/actions';
import type { GitOpsPermissions } from '../../hooks/useGitOpsPermissions';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { errorKind, errorMessage } from '../../utils/errors';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  mono: { fontFamily: 'ui-monospace, monospace' },
  label: { color: theme.palette.text.secondary },
}));

export interface ChangeDetailDialogProps {
  changeId: string;
  userRef?: string;
  pendingForMe: Set<string>;
  perms: GitOpsPermissions;
  /** Sync window of each environment, to say when a waiting change will run. */
  windows?: Record<string, WindowState | undefined>;
  onClose: () => void;
  /** Called after this dialog changed the change (approve, reject, cancel). */
  onChanged: (change: ChangeRequest) => void;
}

const LIVE_STATES = ['approved', 'executing', 'waiting_for_window'];

/** A change with its checks, approvals and step events; approve / reject / cancel. */
export function ChangeDetailDialog(props: ChangeDetailDialogProps) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const [change, setChange] = useState<ChangeRequestDetail>();
  const [error, setError] = useState<Error>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const { changeId } = props;

  useEffect(() => {
    let cancelled = false;
    api.getChange(changeId).then(
      c => !cancelled && setChange(c),
      e => !cancelled && setError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, changeId, tick]);

  // again when this change moves (a live update); without signals, polled while it runs
  const reload = useCallback(() => setTick(x => x + 1), []);
  useLiveRefresh<GitOpsChangesSignal>(GITOPS_CHANGES_CHANNEL, reload, {
    accept: m => m.changes.some(c => c.id === changeId),
    poll: !!change && LIVE_STATES.includes(change.state),
  });

  const act = useCallback(
    async (fn: () => Promise<ChangeRequest>) => {
      setBusy(true);
      setActionError(undefined);
      try {
        const updated = await fn();
        props.onChanged(updated);
        setComment('');
        setTick(x => x + 1);
      } catch (e) {
        setActionError(e as Error);
        // someone else moved the change on: show where it is now
        if (errorKind(e) === 'conflict') setTick(x => x + 1);
      } finally {
        setBusy(false);
      }
    },
    [props],
  );

  const decision = change
    ? decisionAvailability(
        change,
        props.userRef,
        props.pendingForMe,
        props.perms,
        t,
      )
    : { visible: false };
  const cancel = change
    ? cancelAvailability(change, props.userRef, t)
    : { visible: false };
  const busyReason = busy ? { visible: true, disabledReason: '…' } : undefined;
  const created = formatDual(change?.createdAt);
  const waitsAt = change
    ? formatDual(props.windows?.[change.environment]?.nextOpen)?.both
    : undefined;
  const approvals =
    change?.approvals.filter(a => a.decision === 'approve').length ?? 0;

  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="gitops-change-detail"
    >
      <DialogTitle id="gitops-change-detail">
        {change
          ? t('detail.title', {
              kind: kindLabel(t, change.kind),
              env: change.environment,
            })
          : t('actions.viewChange')}
      </DialogTitle>
      <DialogContent dividers>
        {error && <Alert severity="error">{errorMessage(error)}</Alert>}
        {!change && !error && (
          <Skeleton
            variant="rect"
            height={200}
            aria-label={t('loadingLabel')}
          />
        )}
        {change && (
          <>
            <Box display="flex" alignItems="center" gridGap={8} flexWrap="wrap">
              <ChangeStateChip state={change.state} />
              {change.override && (
                <ToneStatus tone="error" label={t('detail.overrideBadge')} />
              )}
              <Typography className={classes.mono}>
                {change.environment}:{' '}
                {versionChange(
                  t,
                  change.fromVersion,
                  change.version ?? change.rollbackTo?.version,
                )}
              </Typography>
            </Box>
            {change.state === 'waiting_for_window' && (
              <Alert severity="info" className={classes.section} role="status">
                {waitsAt
                  ? t('detail.waitsForWindowAt', { at: waitsAt })
                  : t('detail.waitsForWindow')}
              </Alert>
            )}
            <Grid container spacing={2} className={classes.section}>
              <Grid item xs={12} sm={6}>
                <Typography variant="body2" className={classes.label}>
                  {t('detail.requestedBy')}
                </Typography>
                <Typography variant="body2">
                  {userName(change.requestedBy)} · {created?.both}
                </Typography>
              </Grid>
              <Grid item xs={12} sm={6}>
                <Typography variant="body2" className={classes.label}>
                  {t('detail.reason')}
                </Typography>
                <Typography variant="body2">{change.reason ?? '—'}</Typography>
              </Grid>
              {change.target && (
                <Grid item xs={12}>
                  <Typography variant="body2" className={classes.label}>
                    {t('detail.target')}
                  </Typography>
                  <Typography variant="body2" data-testid="change-target">
                    {t('detail.targetLine', {
                      application: change.target.application,
                      instance: change.target.instance,
                      pipeline: change.target.pipeline,
                    })}
                    {change.target.project
                      ? t('detail.targetProject', {
                          project: change.target.project,
                        })
                      : ''}
                    {change.target.writeBack &&
                    change.target.writeBack !== 'none'
                      ? t('detail.targetWrites', {
                          writeBack: change.target.writeBack,
                        })
                      : ''}
                  </Typography>
                </Grid>
              )}
              {change.result?.commitSha && (
                <Grid item xs={12} sm={6}>
                  <Typography variant="body2" className={classes.label}>
                    {t('detail.resultCommit')}
                  </Typography>
                  <Typography variant="body2" className={classes.mono}>
                    {shortSha(change.result.commitSha)}
                  </Typography>
                </Grid>
              )}
              {change.result?.failedStep && (
                <Grid item xs={12}>
                  <Alert severity="error">
                    {t('detail.resultFailedStep')}: {change.result.failedStep}
                    {change.result.message ? `: ${change.result.message}` : ''}
                  </Alert>
                </Grid>
              )}
            </Grid>

            <Typography
              variant="subtitle1"
              component="h4"
              className={classes.section}
            >
              {t('dialog.checksTitle')}
            </Typography>
            <ChecksList checks={change.checks} />

            <Typography
              variant="subtitle1"
              component="h4"
              className={classes.section}
            >
              {t('detail.approvalsTitle')} (
              {t('detail.approvalsCount', {
                approved: String(approvals),
                required: String(change.requiredApprovals),
              })}
              )
            </Typography>
            <ApprovalList approvals={change.approvals} />

            <Typography
              variant="subtitle1"
              component="h4"
              className={classes.section}
            >
              {t('detail.eventsTitle')}
            </Typography>
            <EventList events={change.events} />

            {decision.visible && change.state === 'awaiting_approval' && (
              <>
                <Divider className={classes.section} />
                <TextField
                  className={classes.section}
                  label={t('detail.commentField')}
                  value={comment}
                  onChange={e => setComment(e.target.value)}
                  fullWidth
                  multiline
                  minRows={2}
                  variant="outlined"
                  disabled={Boolean(decision.disabledReason)}
                  inputProps={{ 'aria-label': t('detail.commentField') }}
                />
                {decision.disabledReason && (
                  <Typography variant="body2" color="textSecondary" role="note">
                    {decision.disabledReason}
                  </Typography>
                )}
              </>
            )}
            {actionError && (
              <Alert severity="error" className={classes.section} role="alert">
                {errorMessage(actionError)}
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        {change && (
          <>
            <ActionButton
              label={t('detail.cancelChange')}
              availability={busyReason ?? cancel}
              onClick={() => act(() => api.cancelChange(change.id))}
              color="default"
            />
            {change.state === 'awaiting_approval' && (
              <>
                <ActionButton
                  label={t('detail.reject')}
                  availability={busyReason ?? decision}
                  onClick={() =>
                    act(() =>
                      api.rejectChange(change.id, {
                        comment: comment.trim() || undefined,
                      }),
                    )
                  }
                  color="secondary"
                />
                <ActionButton
                  label={t('detail.approve')}
                  availability={busyReason ?? decision}
                  onClick={() =>
                    act(() =>
                      api.approveChange(change.id, {
                        comment: comment.trim() || undefined,
                      }),
                    )
                  }
                  variant="contained"
                />
              </>
            )}
          </>
        )}
        <Button onClick={props.onClose}>{t('dialog.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}
