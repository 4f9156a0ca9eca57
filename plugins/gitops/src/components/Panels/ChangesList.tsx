import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  Link,
} from '@material-ui/core';
import type { ChangeRequest } from '@internal/plugin-gitops-common';
import {
  kindLabel,
  useGitOpsTranslation,
  versionChange,
} from '../../hooks/useGitOpsTranslation';
import { userName } from '../../utils/time';
import { ChangeStateChip, ToneStatus } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';

/** Change requests of an entity, newest first; a row opens its detail. */
export function ChangesList(props: {
  changes: ChangeRequest[];
  onOpen: (c: ChangeRequest) => void;
}) {
  const t = useGitOpsTranslation();
  if (props.changes.length === 0) {
    return <Typography variant="body2">{t('panels.noChanges')}</Typography>;
  }
  return (
    <Table size="small" aria-label={t('panels.changes')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('inbox.columnChange')}</TableCell>
          <TableCell>{t('inbox.columnEnv')}</TableCell>
          <TableCell>{t('inbox.columnState')}</TableCell>
          <TableCell>{t('inbox.columnRequester')}</TableCell>
          <TableCell>{t('inbox.columnAge')}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.changes.map(c => (
          <TableRow key={c.id} hover>
            <TableCell>
              <Link
                component="button"
                variant="body2"
                onClick={() => props.onOpen(c)}
                aria-label={`${t('actions.viewChange')}: ${kindLabel(
                  t,
                  c.kind,
                )} ${c.environment} ${c.version ?? ''}`}
              >
                {kindLabel(t, c.kind)}{' '}
                {versionChange(
                  t,
                  c.fromVersion,
                  c.version ?? c.rollbackTo?.version,
                )}
              </Link>{' '}
              {c.override && (
                <ToneStatus tone="error" label={t('detail.overrideBadge')} />
              )}
            </TableCell>
            <TableCell>{c.environment}</TableCell>
            <TableCell>
              <ChangeStateChip state={c.state} />
            </TableCell>
            <TableCell>{userName(c.requestedBy)}</TableCell>
            <TableCell>
              <RelativeTime iso={c.createdAt} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
