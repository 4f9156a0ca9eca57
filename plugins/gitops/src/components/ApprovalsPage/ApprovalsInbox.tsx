import { useCallback, useEffect, useState } from 'react';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ChangeRequest } from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { kindLabel, strings } from '../../strings';
import { userName } from '../../utils/time';
import { ChangeStateChip, ToneChip } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';
import { ChangeDetailDialog } from '../ChangeDetail/ChangeDetailDialog';
import { useUserRef } from '../../hooks/useGitOpsPermissions';

/** Approvals always come from the pending list; the backend decided the caller may decide. */
const APPROVER_PERMS = {
  create: { allowed: false, loading: false },
  approve: { allowed: true, loading: false },
  override: { allowed: false, loading: false },
};

/** Everything waiting for the signed-in user's decision, across entities. */
export function ApprovalsInbox() {
  const api = useApi(gitopsApiRef);
  const userRef = useUserRef();
  const [items, setItems] = useState<ChangeRequest[]>();
  const [error, setError] = useState<Error>();
  const [detail, setDetail] = useState<string>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(t => t + 1), []);

  useEffect(() => {
    api.getPendingApprovals().then(l => {
      setItems(
        [...l.items].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      );
      setError(undefined);
    }, setError);
  }, [api, tick]);

  return (
    <>
      <ContentHeader
        title={strings.approvalsTitle}
        description={strings.approvalsSubtitle}
      >
        <Button onClick={refresh}>{strings.refresh}</Button>
      </ContentHeader>
      {error && (
        <ResponseErrorPanel error={error} title={strings.approvalsLoadError} />
      )}
      {!items && !error && (
        <Skeleton
          variant="rect"
          height={160}
          aria-label={strings.loadingLabel}
        />
      )}
      {items && items.length === 0 && (
        <Alert severity="success">{strings.inboxEmpty}</Alert>
      )}
      {items && items.length > 0 && (
        <Table aria-label={strings.approvalsTitle}>
          <TableHead>
            <TableRow>
              <TableCell>{strings.columnEntity}</TableCell>
              <TableCell>{strings.columnEnv}</TableCell>
              <TableCell>{strings.columnChange}</TableCell>
              <TableCell>{strings.columnChecks}</TableCell>
              <TableCell>{strings.columnRequester}</TableCell>
              <TableCell>{strings.columnAge}</TableCell>
              <TableCell>{strings.columnState}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(c => {
              const failing = c.checks.filter(k => k.status === 'fail').length;
              return (
                <TableRow key={c.id} hover>
                  <TableCell>
                    <EntityRefLink entityRef={c.entityRef} />
                  </TableCell>
                  <TableCell>{c.environment}</TableCell>
                  <TableCell>
                    <Typography
                      variant="body2"
                      style={{ fontFamily: 'monospace' }}
                    >
                      {kindLabel(c.kind)}{' '}
                      {strings.versionChange(
                        c.fromVersion,
                        c.version ?? c.rollbackTo?.version,
                      )}
                    </Typography>
                    {c.override && (
                      <ToneChip tone="error" label={strings.overrideBadge} />
                    )}
                    {c.reason && (
                      <Typography variant="caption">{c.reason}</Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <ToneChip
                      tone={failing ? 'error' : 'ok'}
                      label={
                        failing
                          ? `${failing} failing`
                          : `${c.checks.length} passing`
                      }
                    />
                  </TableCell>
                  <TableCell>{userName(c.requestedBy)}</TableCell>
                  <TableCell>
                    <RelativeTime iso={c.createdAt} />
                  </TableCell>
                  <TableCell>
                    <ChangeStateChip state={c.state} />
                  </TableCell>
                  <TableCell>
                    <Button
                      variant="contained"
                      color="primary"
                      size="small"
                      onClick={() => setDetail(c.id)}
                      aria-label={`${strings.review}: ${kindLabel(c.kind)} of ${
                        c.entityRef
                      } in ${c.environment}`}
                    >
                      {strings.review}
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {detail && (
        <ChangeDetailDialog
          changeId={detail}
          userRef={userRef}
          pendingForMe={new Set(items?.map(i => i.id))}
          perms={APPROVER_PERMS}
          onClose={() => {
            setDetail(undefined);
            refresh();
          }}
          onChanged={refresh}
        />
      )}
    </>
  );
}

/**
 * The approvals inbox as a full page (legacy apps).
 *
 * @public
 */
export function GitOpsApprovalsPage() {
  return (
    <Page themeId="tool">
      <Header
        title={strings.pluginTitle}
        subtitle={strings.approvalsSubtitle}
      />
      <Content>
        <ApprovalsInbox />
      </Content>
    </Page>
  );
}

/** The inbox inside the new frontend system's page layout (which draws the header). */
export function ApprovalsPageContent() {
  return (
    <Content>
      <ApprovalsInbox />
    </Content>
  );
}
