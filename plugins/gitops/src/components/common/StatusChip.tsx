import type { ReactNode } from 'react';
import { ButtonBase, Tooltip, makeStyles } from '@material-ui/core';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ChangeState,
  HealthStatusCode,
  SyncStatusCode,
} from '@internal/plugin-gitops-common';
import {
  changeStateLabel,
  useGitOpsTranslation,
} from '../../hooks/useGitOpsTranslation';

/** Which of core-components' status indicators a value shows as. */
export type Tone =
  | 'ok'
  | 'warning'
  | 'error'
  | 'pending'
  | 'running'
  | 'aborted';

const STATUS = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
} as const;

const useStyles = makeStyles(theme => ({
  status: { whiteSpace: 'nowrap' },
  button: {
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(0, 0.5),
    font: 'inherit',
    '&:hover': { backgroundColor: theme.palette.action.hover },
  },
}));

/**
 * A value with core-components' status icon (`StatusOK`, `StatusError`, …);
 * a button when it can be clicked.
 */
export function ToneStatus(props: {
  tone: Tone;
  label: ReactNode;
  title?: string;
  ariaLabel?: string;
  onClick?: () => void;
}) {
  const classes = useStyles();
  const Status = STATUS[props.tone];
  const ariaLabel =
    props.ariaLabel ??
    (typeof props.label === 'string' ? props.label : undefined);
  const status = props.onClick ? (
    <ButtonBase
      className={classes.button}
      onClick={props.onClick}
      aria-label={ariaLabel}
    >
      <Status>{props.label}</Status>
    </ButtonBase>
  ) : (
    <span className={classes.status}>
      {/* the core-components status hides itself from assistive technology; this one names the value */}
      <Status aria-hidden={false} aria-label={ariaLabel}>
        {props.label}
      </Status>
    </span>
  );
  return props.title ? (
    <Tooltip title={props.title}>
      <span>{status}</span>
    </Tooltip>
  ) : (
    status
  );
}

export function syncTone(s?: SyncStatusCode): Tone {
  if (s === 'Synced') return 'ok';
  if (s === 'OutOfSync') return 'warning';
  return 'aborted';
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
      return 'aborted';
  }
}

export function changeTone(s: ChangeState): Tone {
  switch (s) {
    case 'succeeded':
      return 'ok';
    case 'awaiting_approval':
    case 'waiting_for_window':
      return 'pending';
    case 'approved':
    case 'executing':
      return 'running';
    case 'failed':
    case 'blocked':
    case 'rejected':
      return 'error';
    default:
      return 'aborted';
  }
}

export function SyncChip({ status }: { status?: SyncStatusCode }) {
  const t = useGitOpsTranslation();
  const s = status ?? t('status.unknown');
  return (
    <ToneStatus
      tone={syncTone(status)}
      label={s}
      ariaLabel={t('status.sync', { status: s })}
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
  const t = useGitOpsTranslation();
  const s = status ?? t('status.unknown');
  return (
    <ToneStatus
      tone={healthTone(status)}
      label={s}
      title={message}
      ariaLabel={
        message
          ? t('status.healthWithMessage', { status: s, message })
          : t('status.health', { status: s })
      }
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
  const t = useGitOpsTranslation();
  const label = `${changeStateLabel(t, state)}${suffix ? ` ${suffix}` : ''}`;
  return (
    <ToneStatus
      tone={changeTone(state)}
      label={label}
      onClick={onClick}
      ariaLabel={t('status.change', { label })}
    />
  );
}
