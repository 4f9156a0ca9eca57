import {
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  Typography,
} from '@material-ui/core';
import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import type { Check } from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';

const ICONS = {
  pass: StatusOK,
  fail: StatusError,
  pending: StatusPending,
};

/** Policy checks with pass / fail / pending and their sentences. */
export function ChecksList({ checks }: { checks: Check[] }) {
  const t = useGitOpsTranslation();
  if (checks.length === 0) {
    return <Typography variant="body2">{t('dialog.checksEmpty')}</Typography>;
  }
  return (
    <List dense disablePadding aria-label={t('dialog.checksTitle')}>
      {checks.map(c => {
        const Icon = ICONS[c.status];
        return (
          <ListItem
            key={c.id}
            disableGutters
            aria-label={t('checks.label', {
              status: t(`checks.${c.status}`),
              message: c.message,
            })}
          >
            <ListItemIcon style={{ minWidth: 32 }}>
              <Icon />
            </ListItemIcon>
            <ListItemText primary={c.message} secondary={c.id} />
          </ListItem>
        );
      })}
    </List>
  );
}
