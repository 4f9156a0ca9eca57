import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { makeStyles } from '@material-ui/core';
import type { Approval, ChangeEvent } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import { formatDual, userName } from '../../utils/time';

const useStyles = makeStyles({
  mono: { fontFamily: 'ui-monospace, monospace' },
});

/** Who approved or rejected a change, when, and with which comment. */
export function ApprovalList({ approvals }: { approvals: Approval[] }) {
  const t = useGitOpsTranslation();
  if (approvals.length === 0) {
    return <Typography variant="body2">{t('detail.noApprovals')}</Typography>;
  }
  return (
    <List dense disablePadding>
      {approvals.map(a => (
        <ListItem key={a.approver} disableGutters>
          <ListItemText
            primary={t(`detail.decided.${a.decision}`, {
              user: userName(a.approver) ?? '',
            })}
            secondary={`${formatDual(a.decidedAt)?.both ?? ''}${
              a.comment ? ` · “${a.comment}”` : ''
            }`}
          />
        </ListItem>
      ))}
    </List>
  );
}

/** The steps and events of a change, oldest first. */
export function EventList({ events }: { events: ChangeEvent[] }) {
  const classes = useStyles();
  const t = useGitOpsTranslation();
  return (
    <List dense disablePadding aria-label={t('detail.eventsTitle')}>
      {events.map(ev => (
        <ListItem key={ev.id} disableGutters>
          <ListItemText
            primary={
              <span>
                <strong className={classes.mono}>{ev.type}</strong>
                {ev.message ? ` ${ev.message}` : ''}
              </span>
            }
            secondary={`${formatDual(ev.at)?.both ?? ''}${
              ev.actor ? ` · ${userName(ev.actor)}` : ''
            }`}
          />
        </ListItem>
      ))}
    </List>
  );
}
