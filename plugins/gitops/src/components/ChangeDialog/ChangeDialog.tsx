import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
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
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { PolicyPreview } from './PolicyPreview';
import { RollbackPicker, historyKey } from './RollbackPicker';
import { ChangeDiff } from './ChangeDiff';
import { OverrideBox } from './OverrideBox';
import { useDebounced } from '../../hooks/useDebounced';
import { errorMessage } from '../../utils/errors';
import { ImageTagPicker } from '../Images/ImageTagPicker';
import { suggestVersion } from '../../utils/suggestVersion';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  dangerButton: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
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

/**
 * Request a promotion, sync or rollback. Before anything is sent it shows
 * what the policy says (checks of a dry evaluation) and what will change.
 */
export function ChangeDialog(props: ChangeDialogProps) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const { kind, target, source, entity, entityRef } = props;
  // the next rc (or the release) of what the source runs, never its own -dev.N tag
  const [prefilled] = useState(() =>
    kind === 'promote' ? suggestVersion(source?.version, target.version) : '',
  );
  const [version, setVersion] = useState(prefilled);
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
  const picked = rollbackCandidates.find(h => historyKey(h) === pick);

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
  // a pre-filled version the target's tag rules refuse is taken back (judged once, on its first preview)
  const [prefillJudged, setPrefillJudged] = useState(!prefilled);
  useEffect(() => {
    if (prefillJudged || !previewCurrent) return;
    setPrefillJudged(true);
    const refused = preview!.checks.some(
      c => (c.id === 'tag-pattern' || c.id === 'semver') && c.status === 'fail',
    );
    if (version === prefilled && refused) setVersion('');
  }, [prefillJudged, prefilled, preview, previewCurrent, version]);
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
  const versionHelper = (env: string, v?: string) =>
    v
      ? t('dialog.versionHelper', { env, version: v })
      : t('dialog.versionHelperNone', { env });

  return (
    <Dialog
      open
      onClose={props.onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>
        {t(`dialog.title.${kind}`, {
          env: target.name,
          from: source?.name ?? '',
        })}
      </DialogTitle>
      <DialogContent dividers>
        {kind === 'promote' && (
          <TextField
            label={t('dialog.versionField')}
            value={version}
            onChange={e => setVersion(e.target.value)}
            helperText={
              source ? versionHelper(source.name, source.version) : undefined
            }
            fullWidth
            variant="outlined"
            inputProps={{
              className: classes.mono,
              'aria-label': t('dialog.versionField'),
            }}
          />
        )}
        {kind === 'promote' && (
          <ImageTagPicker
            entity={entity}
            environment={target.name}
            value={version.trim()}
            onPick={setVersion}
          />
        )}
        {kind === 'rollback' && (
          <RollbackPicker
            history={history}
            historyError={historyError}
            candidates={rollbackCandidates}
            pick={pick}
            onPick={setPick}
          />
        )}
        {kind === 'sync' && (
          <Typography variant="body2">
            {t('dialog.syncDescription', {
              env: target.name,
              app: target.application?.name ?? '',
            })}
          </Typography>
        )}

        <Box className={classes.section}>
          <Typography variant="subtitle1" component="h4">
            {t('dialog.checksTitle')}
          </Typography>
          <PolicyPreview
            requested={Boolean(request)}
            current={Boolean(previewCurrent)}
            preview={preview}
            error={previewError}
          />
        </Box>

        <Box className={classes.section}>
          <Typography variant="subtitle1" component="h4">
            {t('dialog.diffTitle')}
          </Typography>
          <ChangeDiff
            kind={kind}
            target={target}
            toVersion={toVersion || undefined}
            diff={diff}
            diffError={diffError}
          />
        </Box>

        <TextField
          className={classes.section}
          label={t('dialog.reasonField')}
          value={reason}
          onChange={e => setReason(e.target.value)}
          helperText={
            reasonMissing
              ? t('dialog.reasonRequiredOverride')
              : t('dialog.reasonHelper')
          }
          error={reasonMissing}
          required={override}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          inputProps={{ 'aria-label': t('dialog.reasonField') }}
        />

        {props.canOverride && target.window && (
          <OverrideBox override={override} onChange={setOverride} />
        )}
        {submitError && (
          <Alert severity="error" className={classes.section} role="alert">
            {errorMessage(submitError)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('dialog.cancel')}</Button>
        <Button
          variant="contained"
          color="primary"
          disabled={!canSubmit}
          onClick={submit}
          className={override ? classes.dangerButton : undefined}
        >
          {override ? t('dialog.submitOverride') : t(`dialog.submit.${kind}`)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
