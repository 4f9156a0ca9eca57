import { Box, Tooltip, Typography, makeStyles } from '@material-ui/core';
import ScheduleIcon from '@material-ui/icons/Schedule';
import type { EnvironmentState } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { formatDual } from '../../utils/time';

const useStyles = makeStyles(theme => ({
  windowRow: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  windowOpen: { color: theme.palette.success.main },
  windowClosed: { color: theme.palette.warning.main },
}));

/** The sync window of an environment: open until / closed, opens at (local and UTC). */
export function WindowLine({ env }: { env: EnvironmentState }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  const w = env.window;
  if (!w) return null;
  const at = formatDual(w.open ? w.openUntil : w.nextOpen);
  let text: string;
  if (w.open)
    text = at
      ? t('card.windowOpenUntil', { at: at.both })
      : t('card.windowOpen');
  else
    text = at
      ? t('card.windowClosedOpens', { at: at.both })
      : t('card.windowClosed');
  return (
    <Tooltip title={w.message}>
      <Box className={classes.windowRow} aria-label={`${text}. ${w.message}`}>
        <ScheduleIcon
          fontSize="small"
          className={w.open ? classes.windowOpen : classes.windowClosed}
        />
        <Typography
          variant="body2"
          className={w.open ? classes.windowOpen : classes.windowClosed}
        >
          {text}
        </Typography>
      </Box>
    </Tooltip>
  );
}
