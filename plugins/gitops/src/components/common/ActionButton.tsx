import { Button, Tooltip, makeStyles } from '@material-ui/core';
import type { ActionAvailability } from '../../utils/actions';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

const useStyles = makeStyles(theme => ({
  danger: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    borderColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
  },
}));

/**
 * A button that is hidden, enabled, or disabled with its reason as tooltip and
 * accessible name.
 */
export function ActionButton(props: {
  label: string;
  availability: ActionAvailability;
  onClick: () => void;
  variant?: 'text' | 'outlined' | 'contained';
  color?: 'primary' | 'secondary' | 'default';
  danger?: boolean;
  startIcon?: React.ReactNode;
  className?: string;
}) {
  const t = useGitOpsTranslation();
  const classes = useStyles();
  const { availability, label } = props;
  if (!availability.visible) return null;
  const reason = availability.disabledReason;
  const button = (
    <Button
      size="small"
      variant={props.variant ?? 'outlined'}
      color={props.color ?? 'primary'}
      disabled={Boolean(reason)}
      onClick={props.onClick}
      startIcon={props.startIcon}
      className={[props.className, props.danger && !reason && classes.danger]
        .filter(Boolean)
        .join(' ')}
      aria-label={reason ? t('actions.unavailable', { label, reason }) : label}
    >
      {label}
    </Button>
  );
  if (!reason) return button;
  return (
    <Tooltip title={reason}>
      <span>{button}</span>
    </Tooltip>
  );
}
