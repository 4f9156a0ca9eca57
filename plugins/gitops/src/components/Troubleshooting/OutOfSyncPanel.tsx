import { Box, Chip, Typography, makeStyles } from '@material-ui/core';
import type {
  OutOfSyncCause,
  OutOfSyncReport,
} from '@internal/plugin-gitops-common';

const CAUSE: Record<OutOfSyncCause, string> = {
  'changed-in-cluster': 'Changed in the cluster',
  'new-image-tag': 'New image tag in Git',
  'target-changed': 'Changed in Git',
  missing: 'Missing from the cluster',
  extra: 'Not in Git (extra)',
  unknown: 'Cause unknown',
};

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
  if (value.items.length === 0) {
    return (
      <Typography variant="body2">
        Every resource matches Git ({value.syncStatus ?? 'unknown'}).
      </Typography>
    );
  }
  return (
    <Box role="region" aria-label="Why out of sync">
      {value.items.map(i => (
        <Box
          key={`${i.kind}/${i.namespace}/${i.name}`}
          className={classes.item}
        >
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <Chip size="small" label={CAUSE[i.cause]} />
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
              aria-label={`Diff of ${i.kind} ${i.name}`}
            >
              {i.diff}
            </pre>
          )}
        </Box>
      ))}
    </Box>
  );
}
