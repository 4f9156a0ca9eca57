import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import WarningIcon from '@material-ui/icons/Warning';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ChangeKind,
  ChangePreview,
  ChangeRequest,
  CreateChangeRequest,
  EnvironmentDiff,
  EnvironmentState,
  HistoryEntry,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { strings } from '../../strings';
import { formatDual, shortSha } from '../../utils/time';
import { ChecksList } from '../common/ChecksList';
import { ResourceDiffList, UnifiedDiff, versionDiff } from '../common/DiffView';
import { errorMessage } from '../../utils/errors';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  danger: {
    border: '2px solid #c62828',
    borderRadius: 4,
    padding: theme.spacing(1, 2),
    marginTop: theme.spacing(2),
    backgroundColor: theme.palette.type === 'dark' ? '#3b1414' : '#fff5f5',
  },
  dangerButton: {
    color: '#fff',
    backgroundColor: '#c62828',
    '&:hover': { backgroundColor: '#8e0000' },
  },
  mono: { fontFamily: 'ui-monospace, monospace' },
}));

export interface ChangeDialogProps {
  entity: CompoundEntityRef;
  entityRef: string;
  kind: ChangeKind;
  target: EnvironmentState;
  /** Environment a promotion takes the version from. */
  source?: EnvironmentState;
  canOverride: boolean;
  initialOverride?: boolean;
  onClose: () => void;
  onCreated: (change: ChangeRequest) => void;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Request a promotion, sync or rollback. Before anything is sent it shows
 * what the policy says (checks of a dry evaluation) and what will change.
 */
export function ChangeDialog(props: ChangeDialogProps) {
  const classes = useStyles();
  const api = useApi(gitopsApiRef);
  const { kind, target, source, entity, entityRef } = props;
  const [version, setVersion] = useState(source?.version ?? '');
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(
    Boolean(props.initialOverride && props.canOverride),
  );
  const [history, setHistory] = useState<HistoryEntry[] | undefined>();
  const [historyError, setHistoryError] = useState<Error>();
  const [pick, setPick] = useState<string>('');
  const [diff, setDiff] = useState<EnvironmentDiff | undefined>();
  const [diffError, setDiffError] = useState<Error>();
  const [preview, setPreview] = useState<ChangePreview | undefined>();
  const [previewError, setPreviewError] = useState<Error>();
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();

  useEffect(() => {
    if (kind !== 'rollback') return;
    api.getHistory(entity, target.name).then(
      h => setHistory(h.items),
      e => setHistoryError(e),
    );
  }, [api, entity, target.name, kind]);

  useEffect(() => {
    api.getDiff(entity, target.name).then(setDiff, e => {
      setDiffError(e);
      setDiff({ items: [] });
    });
  }, [api, entity, target.name]);

  const rollbackCandidates = useMemo(
    () =>
      (history ?? []).filter(
        // what runs now is not a rollback target
        h =>
          h.source === 'argocd' &&
          !(h.revision && h.revision === target.revision),
      ),
    [history, target.revision],
  );
  const picked = rollbackCandidates.find(h => `${h.source}:${h.id}` === pick);

  const request: CreateChangeRequest | undefined = useMemo(() => {
    const base = {
      entityRef,
      environment: target.name,
      kind,
      override: override || undefined,
    };
    if (kind === 'promote') {
      return version.trim() ? { ...base, version: version.trim() } : undefined;
    }
    if (kind === 'rollback') {
      return picked
        ? {
            ...base,
            version: picked.version,
            rollbackTo: {
              historyId: picked.id,
              revision: picked.revision,
              version: picked.version,
            },
          }
        : undefined;
    }
    return base;
  }, [entityRef, target.name, kind, override, version, picked]);

  const debounced = useDebounced(request, 300);
  useEffect(() => {
    setPreview(undefined);
    setPreviewError(undefined);
    if (!debounced) return undefined;
    let cancelled = false;
    api.previewChange(debounced).then(
      p => !cancelled && setPreview(p),
      e => !cancelled && setPreviewError(e),
    );
    return () => {
      cancelled = true;
    };
  }, [api, debounced]);

  const reasonMissing = override && !reason.trim();
  const previewCurrent = preview && debounced === request;
  const canSubmit =
    Boolean(request) &&
    previewCurrent &&
    preview!.allowed &&
    !reasonMissing &&
    !submitting;

  const submit = async () => {
    if (!request) return;
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      const created = await api.createChange({
        ...request,
        reason: reason.trim() || undefined,
      });
      props.onCreated(created);
    } catch (e) {
      setSubmitError(e as Error);
      setSubmitting(false);
    }
  };

  const toVersions: Record<ChangeKind, string | undefined> = {
    promote: version.trim(),
    rollback: picked?.version,
    sync: target.version,
  };
  const toVersion = toVersions[kind];
  const titleId = `gitops-change-dialog-${target.name}`;

  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        {strings.dialogTitle(kind, target.name, source?.name)}
      </DialogTitle>
      <DialogContent dividers>
        {kind === 'promote' && (
          <TextField
            label={strings.versionField}
            value={version}
            onChange={e => setVersion(e.target.value)}
            helperText={
              source
                ? strings.versionHelper(source.name, source.version)
                : undefined
            }
            fullWidth
            variant="outlined"
            inputProps={{
              className: classes.mono,
              'aria-label': strings.versionField,
            }}
          />
        )}
        {kind === 'rollback' && (
          <Box>
            <Typography variant="subtitle2">{strings.rollbackPick}</Typography>
            {historyError && (
              <Alert severity="error">{errorMessage(historyError)}</Alert>
            )}
            {!history && !historyError && <Skeleton height={80} />}
            {history && rollbackCandidates.length === 0 && (
              <Typography variant="body2">
                {strings.rollbackNoHistory}
              </Typography>
            )}
            <RadioGroup
              aria-label={strings.rollbackPick}
              value={pick}
              onChange={e => setPick(e.target.value)}
            >
              {rollbackCandidates.map(h => {
                const when = formatDual(h.deployedAt);
                return (
                  <FormControlLabel
                    key={`${h.source}:${h.id}`}
                    value={`${h.source}:${h.id}`}
                    control={<Radio color="primary" />}
                    label={
                      <span>
                        <strong className={classes.mono}>
                          {h.version ?? shortSha(h.revision)}
                        </strong>{' '}
                        #{h.id}
                        {h.commit?.message
                          ? ` · ${h.commit.message.split('\n')[0]}`
                          : ''}
                        {when ? ` · ${when.both}` : ''}
                      </span>
                    }
                  />
                );
              })}
            </RadioGroup>
          </Box>
        )}
        {kind === 'sync' && (
          <Typography variant="body2">
            Applies what Git declares for {target.name} now (
            {target.application?.name}).
          </Typography>
        )}

        <Box className={classes.section}>
          <Typography variant="subtitle1" component="h4">
            {strings.checksTitle}
          </Typography>
          {!request && (
            <Typography variant="body2" color="textSecondary">
              —
            </Typography>
          )}
          {request && !previewCurrent && !previewError && (
            <Box display="flex" alignItems="center" gridGap={8} role="status">
              <CircularProgress size={16} />{' '}
              <Typography variant="body2">{strings.checksLoading}</Typography>
            </Box>
          )}
          {previewError && (
            <Alert severity="error">{errorMessage(previewError)}</Alert>
          )}
          {previewCurrent && preview && (
            <>
              <Alert
                severity={preview.allowed ? 'success' : 'error'}
                role="status"
              >
                {preview.allowed
                  ? strings.previewAllowed
                  : strings.previewBlocked}{' '}
                {strings.requiredApprovals(preview.requiredApprovals)}
              </Alert>
              <ChecksList checks={preview.checks} />
            </>
          )}
        </Box>

        <Box className={classes.section}>
          <Typography variant="subtitle1" component="h4">
            {strings.diffTitle}
          </Typography>
          {kind !== 'sync' && (
            <>
              <Typography variant="body2">
                {target.name}:{' '}
                <span className={classes.mono}>
                  {strings.versionChange(
                    target.version,
                    toVersion || undefined,
                  )}
                </span>
              </Typography>
              <UnifiedDiff
                diff={versionDiff(target.version, toVersion || undefined)}
                label={strings.diffTitle}
              />
            </>
          )}
          {!diff && <Skeleton height={60} />}
          {diffError && (
            <Alert severity="warning">
              {strings.diffUnavailable(target.name)}: {errorMessage(diffError)}
            </Alert>
          )}
          {diff &&
            !diffError &&
            (kind === 'sync' || diff.items.some(i => i.modified)) && (
              <Box mt={1}>
                {kind !== 'sync' && (
                  <Typography variant="body2">
                    {strings.diffDriftTitle(target.name)}
                  </Typography>
                )}
                <ResourceDiffList items={diff.items} />
              </Box>
            )}
        </Box>

        <TextField
          className={classes.section}
          label={strings.reasonField}
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText={
            reasonMissing
              ? strings.reasonRequiredOverride
              : strings.reasonHelper
          }
          error={reasonMissing}
          required={override}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          inputProps={{ 'aria-label': strings.reasonField }}
        />

        {props.canOverride && target.window && (
          <Box className={classes.danger}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={override}
                  onChange={e => setOverride(e.target.checked)}
                  inputProps={{ 'aria-label': strings.overrideLabel }}
                  style={{ color: '#c62828' }}
                />
              }
              label={
                <Box display="flex" alignItems="center" gridGap={4}>
                  <WarningIcon style={{ color: '#c62828' }} />
                  <strong>{strings.overrideLabel}</strong>
                </Box>
              }
            />
            <Typography variant="body2">{strings.overrideWarning}</Typography>
          </Box>
        )}
        {submitError && (
          <Alert severity="error" className={classes.section} role="alert">
            {errorMessage(submitError)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{strings.cancel}</Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!canSubmit}
          onClick={submit}
          className={override ? classes.dangerButton : undefined}
        >
          {override ? strings.submitOverride : strings.submit(kind)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
