import {
  Box,
  FormControlLabel,
  Radio,
  RadioGroup,
  Typography,
  makeStyles,
} from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import type { HistoryEntry } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { formatDual, shortSha } from '../../utils/time';
import { errorMessage } from '../../utils/errors';
import { historyDeployer } from '../Panels/timeline';

const useStyles = makeStyles({
  mono: { fontFamily: 'ui-monospace, monospace' },
});

/** The key of a history row in the picker. */
export function historyKey(h: HistoryEntry): string {
  return `${h.source}:${h.id}`;
}

/** Earlier deployments to roll back to, one radio button each. */
export function RollbackPicker(props: {
  history?: HistoryEntry[];
  historyError?: Error;
  candidates: HistoryEntry[];
  pick: string;
  onPick: (key: string) => void;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const { history, historyError, candidates } = props;
  return (
    <Box>
      <Typography variant="subtitle2">{t('dialog.rollbackPick')}</Typography>
      {historyError && (
        <Alert severity="error">{errorMessage(historyError)}</Alert>
      )}
      {!history && !historyError && <Skeleton height={80} />}
      {history && candidates.length === 0 && (
        <Typography variant="body2">{t('dialog.rollbackNoHistory')}</Typography>
      )}
      <RadioGroup
        aria-label={t('dialog.rollbackPick')}
        value={props.pick}
        onChange={e => props.onPick(e.target.value)}
      >
        {candidates.map(h => {
          const when = formatDual(h.deployedAt);
          return (
            <FormControlLabel
              key={historyKey(h)}
              value={historyKey(h)}
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
                  {` · ${historyDeployer(t, h)}`}
                </span>
              }
            />
          );
        })}
      </RadioGroup>
    </Box>
  );
}
