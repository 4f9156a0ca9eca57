import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import CancelIcon from '@material-ui/icons/Cancel';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import type { Check } from '@internal/plugin-gitops-common';
import { strings } from '../../strings';

const ICONS = {
  pass: <CheckCircleIcon style={{ color: '#2e7d32' }} titleAccess="pass" />,
  fail: <CancelIcon style={{ color: '#c62828' }} titleAccess="fail" />,
  pending: (
    <HourglassEmptyIcon style={{ color: '#ef6c00' }} titleAccess="pending" />
  ),
};

/** Policy checks with pass / fail / pending and their sentences. */
export function ChecksList({ checks }: { checks: Check[] }) {
  if (checks.length === 0) {
    return <Typography variant="body2">{strings.checksEmpty}</Typography>;
  }
  return (
    <List dense disablePadding aria-label={strings.checksTitle}>
      {checks.map(c => (
        <ListItem
          key={c.id}
          disableGutters
          aria-label={`${c.status}: ${c.message}`}
        >
          <ListItemIcon style={{ minWidth: 32 }}>
            {ICONS[c.status]}
          </ListItemIcon>
          <ListItemText primary={c.message} secondary={c.id} />
        </ListItem>
      ))}
    </List>
  );
}
