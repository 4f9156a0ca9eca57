import { useMemo, useRef } from 'react';
import { Table, type TableColumn } from '@backstage/core-components';
import { Link, Typography } from '@material-ui/core';
import type { ChangeRequest } from '@internal/plugin-gitops-common';
import {
  kindLabel,
  useGitOpsTranslation,
  versionChange,
} from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { userName } from '../../utils/time';
import { ChangeStateChip, ToneStatus } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';

/** Columns of an entity's changes: what (opens the detail), where, state, who, when. */
function changeColumns(
  t: GitOpsT,
  onOpen: (c: ChangeRequest) => void,
): TableColumn<ChangeRequest>[] {
  return [
    {
      title: t('inbox.columnChange'),
      render: c => (
        <>
          <Link
            component="button"
            variant="body2"
            onClick={() => onOpen(c)}
            aria-label={`${t('actions.viewChange')}: ${kindLabel(t, c.kind)} ${
              c.environment
            } ${c.version ?? ''}`}
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
        </>
      ),
    },
    { title: t('inbox.columnEnv'), field: 'environment' },
    {
      title: t('inbox.columnState'),
      render: c => <ChangeStateChip state={c.state} />,
    },
    {
      title: t('inbox.columnRequester'),
      render: c => userName(c.requestedBy),
    },
    {
      title: t('inbox.columnAge'),
      render: c => <RelativeTime iso={c.createdAt} />,
    },
  ];
}

/** Change requests of an entity, newest first; a row opens its detail. */
export function ChangesList(props: {
  changes: ChangeRequest[];
  onOpen: (c: ChangeRequest) => void;
}) {
  const { changes, onOpen } = props;
  const t = useGitOpsTranslation();
  // The latest callback and rows, without rebuilding the columns on each render.
  // The table hands a render copy of a row (with its `tableData`): open the
  // caller's own change.
  const latest = useRef({ onOpen, changes });
  latest.current = { onOpen, changes };
  const columns = useMemo(
    () =>
      changeColumns(t, row => {
        const { changes: all, onOpen: open } = latest.current;
        open(all.find(c => c.id === row.id) ?? row);
      }),
    [t],
  );
  if (changes.length === 0) {
    return <Typography variant="body2">{t('panels.noChanges')}</Typography>;
  }
  return (
    <div role="region" aria-label={t('panels.changes')}>
      <Table<ChangeRequest>
        options={{
          paging: false,
          search: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={changes}
      />
    </div>
  );
}
