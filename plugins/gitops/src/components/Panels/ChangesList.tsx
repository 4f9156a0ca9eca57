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
import { kindLabel, strings } from '../../strings';
import { userName } from '../../utils/time';
import { ChangeStateChip, ToneChip } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';

/** Change requests of an entity, newest first; a row opens its detail. */
export function ChangesList(props: {
  changes: ChangeRequest[];
  onOpen: (c: ChangeRequest) => void;
}) {
  if (props.changes.length === 0) {
    return <Typography variant="body2">{strings.noChanges}</Typography>;
  }
  return (
    <Table size="small" aria-label={strings.tabChanges}>
      <TableHead>
        <TableRow>
          <TableCell>{strings.columnChange}</TableCell>
          <TableCell>{strings.columnEnv}</TableCell>
          <TableCell>{strings.columnState}</TableCell>
          <TableCell>{strings.columnRequester}</TableCell>
          <TableCell>{strings.columnAge}</TableCell>
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
                aria-label={`${strings.viewChange}: ${kindLabel(c.kind)} ${
                  c.environment
                } ${c.version ?? ''}`}
              >
                {kindLabel(c.kind)}{' '}
                {strings.versionChange(
                  c.fromVersion,
                  c.version ?? c.rollbackTo?.version,
                )}
              </Link>{' '}
              {c.override && (
                <ToneChip tone="error" label={strings.overrideBadge} />
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
