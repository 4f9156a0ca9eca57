import { Chip, Tooltip, makeStyles } from '@material-ui/core';
import type {
  ChangeState,
  HealthStatusCode,
  SyncStatusCode,
} from '@internal/plugin-gitops-common';
import { changeStateLabel } from '../../strings';

export type Tone = 'ok' | 'warning' | 'error' | 'running' | 'neutral';

const useStyles = makeStyles(theme => ({
  chip: {
    fontWeight: 600,
    height: 24,
    borderWidth: 1,
    borderStyle: 'solid',
  },
  ok: {
    color: theme.palette.type === 'dark' ? '#8be28b' : '#1b6e20',
    backgroundColor: theme.palette.type === 'dark' ? '#1e3a1f' : '#e6f4e7',
    borderColor: '#4caf50',
  },
  warning: {
    color: theme.palette.type === 'dark' ? '#ffd180' : '#8a4b00',
    backgroundColor: theme.palette.type === 'dark' ? '#3d2e12' : '#fff4e0',
    borderColor: '#ff9800',
  },
  error: {
    color: theme.palette.type === 'dark' ? '#ff8a80' : '#b71c1c',
    backgroundColor: theme.palette.type === 'dark' ? '#401b1b' : '#fdecea',
    borderColor: '#f44336',
  },
  running: {
    color: theme.palette.type === 'dark' ? '#90caf9' : '#0d47a1',
    backgroundColor: theme.palette.type === 'dark' ? '#15293d' : '#e3f0fd',
    borderColor: '#2196f3',
  },
  neutral: {
    color: theme.palette.text.secondary,
    backgroundColor: theme.palette.action.hover,
    borderColor: theme.palette.divider,
  },
}));

export function ToneChip(props: {
  tone: Tone;
  label: string;
  title?: string;
  ariaLabel?: string;
  onClick?: () => void;
  icon?: React.ReactElement;
}) {
  const classes = useStyles();
  const chip = (
    <Chip
      size="small"
      label={props.label}
      icon={props.icon}
      aria-label={props.ariaLabel ?? props.label}
      onClick={props.onClick}
      clickable={Boolean(props.onClick)}
      className={`${classes.chip} ${classes[props.tone]}`}
    />
  );
  return props.title ? <Tooltip title={props.title}>{chip}</Tooltip> : chip;
}

export function syncTone(s?: SyncStatusCode): Tone {
  if (s === 'Synced') return 'ok';
  if (s === 'OutOfSync') return 'warning';
  return 'neutral';
}

export function healthTone(h?: HealthStatusCode): Tone {
  switch (h) {
    case 'Healthy':
      return 'ok';
    case 'Progressing':
      return 'running';
    case 'Degraded':
    case 'Missing':
      return 'error';
    case 'Suspended':
      return 'warning';
    default:
      return 'neutral';
  }
}

export function changeTone(s: ChangeState): Tone {
  switch (s) {
    case 'succeeded':
      return 'ok';
    case 'awaiting_approval':
    case 'waiting_for_window':
      return 'warning';
    case 'approved':
    case 'executing':
      return 'running';
    case 'failed':
    case 'blocked':
    case 'rejected':
      return 'error';
    default:
      return 'neutral';
  }
}

export function SyncChip({ status }: { status?: SyncStatusCode }) {
  const s = status ?? 'Unknown';
  return (
    <ToneChip
      tone={syncTone(status)}
      label={s}
      ariaLabel={`Sync status: ${s}`}
    />
  );
}

export function HealthChip({
  status,
  message,
}: {
  status?: HealthStatusCode;
  message?: string;
}) {
  const s = status ?? 'Unknown';
  return (
    <ToneChip
      tone={healthTone(status)}
      label={s}
      title={message}
      ariaLabel={`Health: ${s}${message ? ` (${message})` : ''}`}
    />
  );
}

export function ChangeStateChip({
  state,
  onClick,
  suffix,
}: {
  state: ChangeState;
  onClick?: () => void;
  suffix?: string;
}) {
  const label = `${changeStateLabel(state)}${suffix ? ` ${suffix}` : ''}`;
  return (
    <ToneChip
      tone={changeTone(state)}
      label={label}
      onClick={onClick}
      ariaLabel={`Change ${label}`}
    />
  );
}
