import { Button, Tooltip } from '@material-ui/core';
import type { ActionAvailability } from '../../utils/actions';
import { strings } from '../../strings';

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
      className={props.className}
      aria-label={reason ? strings.unavailable(label, reason) : label}
      style={
        props.danger && !reason
          ? {
              color: '#fff',
              backgroundColor: '#c62828',
              borderColor: '#c62828',
            }
          : undefined
      }
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
