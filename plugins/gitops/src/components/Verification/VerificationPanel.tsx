import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  TextField,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EnvironmentVerification,
  VerificationDecisionKind,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { errorMessage } from '../../utils/errors';
import { RelativeTime } from '../common/DualTime';
import { ToneStatus, type Tone } from '../common/StatusChip';

const useStyles = makeStyles(theme => ({
  card: { flex: '0 0 auto' },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  comment: { color: theme.palette.text.secondary },
  mono: { fontFamily: 'ui-monospace, monospace' },
}));

const SIGN_OFF_TONES: Record<'verified' | 'failed' | 'pending', Tone> = {
  verified: 'ok',
  failed: 'error',
  pending: 'pending',
};
const AUTOMATED_TONES: Record<'pass' | 'fail' | 'pending', Tone> = {
  pass: 'ok',
  fail: 'error',
  pending: 'pending',
};

const shortRef = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/**
 * Verification of the version running in an environment: who signed off
 * what, when, with which comment; Argo CD's automated verdict; and, for the
 * members of the sign-off groups, Sign off / Fail with a comment. Renders
 * nothing when the environment's policy configures no verification.
 */
export function VerificationPanel(props: {
  entity: CompoundEntityRef;
  env: string;
  /** What runs there (refetches when it changes). */
  version?: string;
  /**
   * The verification the tab already has (its overview): shown without a
   * request when it is of `version` (or not configured); a new one (the tab
   * refetched) replaces what is shown.
   */
  initial?: EnvironmentVerification;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const { entity, env, version, initial } = props;
  // only for the version shown (not configured holds for any); otherwise the panel asks itself
  const given =
    initial && (!initial.configured || initial.version === version)
      ? initial
      : undefined;
  const [data, setData] = useState<EnvironmentVerification | undefined>(given);
  const [loadError, setLoadError] = useState<Error>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  // the latest load or given verification wins over an answer still on its way
  const generation = useRef(0);

  const { kind, namespace, name } = entity;
  // by value: the tab hands a new entity object to every render
  const load = useCallback(() => {
    const mine = ++generation.current;
    api.getVerification({ kind, namespace, name }, env).then(
      v => {
        if (mine !== generation.current) return;
        setData(v);
        setLoadError(undefined);
      },
      e => {
        if (mine === generation.current) setLoadError(e);
      },
    );
  }, [api, kind, namespace, name, env]);
  useEffect(() => {
    if (given) {
      generation.current++;
      setData(given);
      setLoadError(undefined);
    } else {
      load();
    }
  }, [load, version, given]);

  if (loadError && !data) {
    // a backend error is shown; a 4xx (e.g. an older backend without the route) is not
    return loadError instanceof ResponseError && loadError.statusCode >= 500 ? (
      <Alert severity="warning" className={classes.card}>
        {t('verification.loadError', { env })}: {errorMessage(loadError)}
      </Alert>
    ) : null;
  }
  if (!data?.configured) return null;

  const decide = async (decision: VerificationDecisionKind) => {
    if (!data.version) return;
    setBusy(true);
    setActionError(undefined);
    try {
      const answer = await api.decideVerification(entity, env, {
        version: data.version,
        decision,
        comment: comment.trim() || undefined,
      });
      generation.current++;
      setData(answer);
      setComment('');
    } catch (e) {
      setActionError(e as Error);
      load();
    } finally {
      setBusy(false);
    }
  };

  const s = data.signOff;
  const groups = s?.groups.join(', ') ?? '';
  const titleId = `gitops-verification-${env}`;
  return (
    <Card
      className={classes.card}
      variant="outlined"
      role="region"
      aria-labelledby={titleId}
    >
      <CardContent>
        <Typography id={titleId} variant="subtitle2" component="h3">
          {data.version
            ? t('verification.title', { version: data.version, env })
            : t('verification.titleNoVersion', { env })}
        </Typography>
        {!data.version && (
          <Typography variant="body2">
            {t('verification.noVersion', { env })}
          </Typography>
        )}
        {s && data.version && (
          <Box className={classes.row} mt={1}>
            <ToneStatus
              tone={SIGN_OFF_TONES[s.status]}
              label={t(`verification.signOffStatus.${s.status}`)}
            />
            {s.decision && (
              <Typography variant="body2" component="span">
                {shortRef(s.decision.decidedBy)}{' '}
                <RelativeTime iso={s.decision.decidedAt} />
                {s.decision.comment ? `: ${s.decision.comment}` : ''}
              </Typography>
            )}
          </Box>
        )}
        {s && (
          <Typography variant="caption" component="p">
            {t('verification.signOffBy', { groups })}
          </Typography>
        )}
        {data.automated && (
          <Box mt={1}>
            <ToneStatus
              tone={AUTOMATED_TONES[data.automated.status]}
              label={t(`verification.automatedStatus.${data.automated.status}`)}
            />
            <Typography variant="body2" className={classes.comment}>
              {data.automated.message}
            </Typography>
          </Box>
        )}
        {s && data.version && data.canSignOff && (
          <Box mt={1}>
            <TextField
              id={`${titleId}-comment`}
              label={t('verification.commentField')}
              helperText={t('verification.commentHelper')}
              value={comment}
              onChange={e => setComment(e.target.value)}
              fullWidth
              size="small"
              variant="outlined"
              multiline
            />
            <Box className={classes.row} mt={1}>
              <Button
                variant="contained"
                color="primary"
                size="small"
                disabled={busy || s.status !== 'pending'}
                onClick={() => decide('verified')}
              >
                {t('verification.signOff')}
              </Button>
              <Button
                variant="outlined"
                size="small"
                disabled={busy || s.status === 'failed' || !comment.trim()}
                onClick={() => decide('failed')}
              >
                {t('verification.fail')}
              </Button>
              {s.status !== 'pending' && (
                <Button
                  size="small"
                  disabled={busy}
                  onClick={() => decide('requested')}
                >
                  {t('verification.requestAgain')}
                </Button>
              )}
            </Box>
          </Box>
        )}
        {s && data.version && !data.canSignOff && (
          <Typography variant="caption" component="p">
            {t('verification.notMember', { groups })}
          </Typography>
        )}
        {actionError && (
          <Alert severity="error">{errorMessage(actionError)}</Alert>
        )}
        {s && (
          <Box mt={1}>
            <Typography variant="caption" component="h4">
              {t('verification.decisionsTitle')}
            </Typography>
            {data.decisions.length === 0 ? (
              <Typography variant="body2">
                {t('verification.noDecisions')}
              </Typography>
            ) : (
              <ul
                className={classes.list}
                aria-label={t('verification.decisionsTitle')}
              >
                {data.decisions.slice(0, 5).map(d => (
                  <li key={d.id}>
                    <Typography variant="body2" component="span">
                      {t('verification.decisionLine', {
                        version: d.version,
                        decision: t(`verification.decision.${d.decision}`),
                        user: shortRef(d.decidedBy),
                      })}{' '}
                      <RelativeTime iso={d.decidedAt} />
                      {d.comment ? (
                        <span className={classes.comment}> — {d.comment}</span>
                      ) : null}
                    </Typography>
                  </li>
                ))}
              </ul>
            )}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
