import { useEffect, useMemo, useState } from 'react';
import { Box, Link, Typography, makeStyles } from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import LaunchIcon from '@material-ui/icons/Launch';
import { useApi } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ChangeRequest,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { mergeTimeline } from './timeline';
import { formatDual } from '../../utils/time';
import { ChangeStateChip, ToneStatus, type Tone } from '../common/StatusChip';
import { errorMessage } from '../../utils/errors';
import { useImageDigests } from '../../hooks/useImageDigests';
import { ImageDigest } from '../Images/ImageDigest';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'grid',
    gridTemplateColumns: '110px 1fr',
    gap: theme.spacing(2),
    padding: theme.spacing(1.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  mono: { fontFamily: 'ui-monospace, monospace' },
  when: { color: theme.palette.text.secondary },
}));

const SOURCE_TONES: Record<'argocd' | 'helm' | 'change', Tone> = {
  argocd: 'aborted',
  helm: 'warning',
  change: 'running',
};

export function HistoryPanel(props: {
  entity: CompoundEntityRef;
  env: string;
  changes: ChangeRequest[];
  onOpenChange: (c: ChangeRequest) => void;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const [history, setHistory] = useState<EnvironmentHistory>();
  const [error, setError] = useState<Error>();
  const { entity, env } = props;

  useEffect(() => {
    setHistory(undefined);
    setError(undefined);
    api.getHistory(entity, env).then(setHistory, setError);
  }, [api, entity, env]);
  const digests = useImageDigests(entity, env, history?.items[0]?.id);

  const rows = useMemo(
    () =>
      mergeTimeline(
        t,
        history,
        props.changes.filter(c => c.environment === env),
      ),
    [t, history, props.changes, env],
  );

  if (error) return <Alert severity="error">{errorMessage(error)}</Alert>;
  if (!history)
    return (
      <Skeleton variant="rect" height={160} aria-label={t('loadingLabel')} />
    );
  return (
    <Box aria-label={t('panels.historyOf', { env })} role="list">
      {history.errors.map(e => (
        <Alert key={errorMessage(e)} severity="warning">
          {errorMessage(e)}
        </Alert>
      ))}
      {rows.length === 0 && (
        <Typography variant="body2">{t('panels.noHistory')}</Typography>
      )}
      {rows.map(r => {
        const when = formatDual(r.at);
        return (
          <div key={r.key} className={classes.item} role="listitem">
            <div>
              <ToneStatus
                tone={SOURCE_TONES[r.source]}
                label={t(`history.source.${r.source}`)}
              />
            </div>
            <div>
              <Box
                display="flex"
                alignItems="center"
                gridGap={8}
                flexWrap="wrap"
              >
                <Typography variant="body1" className={classes.mono}>
                  {r.title}
                </Typography>
                {digests?.digests[r.title] && (
                  <ImageDigest digest={digests.digests[r.title]!} />
                )}
                {r.change && (
                  <ChangeStateChip
                    state={r.change.state}
                    onClick={() => props.onOpenChange(r.change!)}
                  />
                )}
                {r.url && (
                  <Link
                    href={r.url}
                    target="_blank"
                    rel="noopener noreferrer"
                    aria-label={t('history.openInArgo', { title: r.title })}
                  >
                    {t('history.argoLink')}{' '}
                    <LaunchIcon style={{ fontSize: 12 }} />
                  </Link>
                )}
              </Box>
              {r.body && (
                <Typography variant="body2">{r.body.split('\n')[0]}</Typography>
              )}
              <Typography variant="caption" className={classes.when}>
                {[when?.both, r.subtitle].filter(Boolean).join(' · ')}
              </Typography>
            </div>
          </div>
        );
      })}
    </Box>
  );
}
