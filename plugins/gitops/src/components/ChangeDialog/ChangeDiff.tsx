import { Box, Typography, makeStyles } from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import type {
  ChangeKind,
  EnvironmentDiff,
  EnvironmentState,
} from '@internal/plugin-gitops-common';
import {
  useGitOpsTranslation,
  versionChange,
} from '../../hooks/useGitOpsTranslation';
import { ResourceDiffList, UnifiedDiff, versionDiff } from '../common/DiffView';
import { errorMessage } from '../../utils/errors';

const useStyles = makeStyles({
  mono: { fontFamily: 'ui-monospace, monospace' },
});

/** What a change will do: the version it writes, and live vs Git now. */
export function ChangeDiff(props: {
  kind: ChangeKind;
  target: EnvironmentState;
  toVersion?: string;
  diff?: EnvironmentDiff;
  diffError?: Error;
}) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const { kind, target, toVersion, diff, diffError } = props;
  return (
    <>
      {kind !== 'sync' && (
        <>
          <Typography variant="body2">
            {target.name}:{' '}
            <span className={classes.mono}>
              {versionChange(t, target.version, toVersion)}
            </span>
          </Typography>
          <UnifiedDiff
            diff={versionDiff(target.version, toVersion)}
            label={t('dialog.diffTitle')}
          />
        </>
      )}
      {!diff && <Skeleton height={60} />}
      {diffError && (
        <Alert severity="warning">
          {t('dialog.diffUnavailable', { env: target.name })}:{' '}
          {errorMessage(diffError)}
        </Alert>
      )}
      {diff &&
        !diffError &&
        (kind === 'sync' || diff.items.some(i => i.modified)) && (
          <Box mt={1}>
            {kind !== 'sync' && (
              <Typography variant="body2">
                {t('dialog.diffDriftTitle', { env: target.name })}
              </Typography>
            )}
            <ResourceDiffList items={diff.items} />
          </Box>
        )}
    </>
  );
}
