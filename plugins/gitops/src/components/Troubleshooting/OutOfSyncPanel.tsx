import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import type {
  OutOfSyncCause,
  OutOfSyncReport,
} from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';

function causeLabel(t: GitOpsT, cause: OutOfSyncCause): string {
  return t(`troubleshooting.cause.${cause}`);
}

const useStyles = makeStyles(theme => ({
  item: { marginBottom: theme.spacing(2) },
  pre: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 12,
    background: theme.palette.background.default,
    padding: theme.spacing(1),
    overflowX: 'auto',
    maxHeight: 240,
  },
}));

/** Out-of-sync resources with the cause named where the facts tell it. */
export function OutOfSyncPanel({ value }: { value: OutOfSyncReport }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  if (value.items.length === 0) {
    return (
      <Typography variant="body2">
        {t('troubleshooting.allInSync', {
          status: value.syncStatus ?? t('troubleshooting.unknownStatus'),
        })}
      </Typography>
    );
  }
  return (
    <Box role="region" aria-label={t('troubleshooting.outOfSyncRegion')}>
      {value.items.map(i => (
        <Box
          key={`${i.kind}/${i.namespace}/${i.name}`}
          className={classes.item}
        >
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <Chip size="small" label={causeLabel(t, i.cause)} />
            <Typography variant="body2">
              <strong>
                {i.kind} {i.name}
              </strong>
              : {i.explanation}
            </Typography>
          </Box>
          {i.diff && (
            <pre
              className={classes.pre}
              aria-label={t('troubleshooting.diffOf', {
                kind: i.kind,
                name: i.name,
              })}
            >
              {i.diff}
            </pre>
          )}
        </Box>
      ))}
    </Box>
  );
}
