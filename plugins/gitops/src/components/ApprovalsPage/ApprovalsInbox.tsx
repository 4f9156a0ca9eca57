import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Typography } from '@material-ui/core';
import { Alert, Skeleton } from '@material-ui/lab';
import {
  Content,
  ContentHeader,
  Header,
  Page,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  GITOPS_CHANGES_CHANNEL,
  type ChangeRequest,
  type GitOpsChangesSignal,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import {
  kindLabel,
  useGitOpsTranslation,
  versionChange,
} from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';
import { userName } from '../../utils/time';
import { ChangeStateChip, ToneStatus } from '../common/StatusChip';
import { RelativeTime } from '../common/DualTime';
import { ChangeDetailDialog } from '../ChangeDetail/ChangeDetailDialog';
import { useUserRef } from '../../hooks/useGitOpsPermissions';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';

/** Approvals always come from the pending list; the backend decided the caller may decide. */
const APPROVER_PERMS = {
  create: { allowed: false, loading: false },
  approve: { allowed: true, loading: false },
  override: { allowed: false, loading: false },
};

/** Columns of the inbox: what, where, checks, who, when, state, and Review. */
function inboxColumns(
  t: GitOpsT,
  onReview: (id: string) => void,
): TableColumn<ChangeRequest>[] {
  return [
    {
      title: t('inbox.columnEntity'),
      render: c => <EntityRefLink entityRef={c.entityRef} />,
    },
    { title: t('inbox.columnEnv'), field: 'environment' },
    {
      title: t('inbox.columnChange'),
      render: c => (
        <>
          <Typography variant="body2" style={{ fontFamily: 'monospace' }}>
            {kindLabel(t, c.kind)}{' '}
            {versionChange(
              t,
              c.fromVersion,
              c.version ?? c.rollbackTo?.version,
            )}
          </Typography>
          {c.override && (
            <ToneStatus tone="error" label={t('detail.overrideBadge')} />
          )}
          {c.reason && <Typography variant="caption">{c.reason}</Typography>}
        </>
      ),
    },
    {
      title: t('inbox.columnChecks'),
      render: c => {
        const failing = c.checks.filter(k => k.status === 'fail').length;
        return (
          <ToneStatus
            tone={failing ? 'error' : 'ok'}
            label={
              failing
                ? t('inbox.checksFailing', { failing: String(failing) })
                : t('inbox.checksPassing', {
                    passing: String(c.checks.length),
                  })
            }
          />
        );
      },
    },
    {
      title: t('inbox.columnRequester'),
      render: c => userName(c.requestedBy),
    },
    {
      title: t('inbox.columnAge'),
      render: c => <RelativeTime iso={c.createdAt} />,
    },
    {
      title: t('inbox.columnState'),
      render: c => <ChangeStateChip state={c.state} />,
    },
    {
      title: '',
      render: c => (
        <Button
          variant="contained"
          color="primary"
          size="small"
          onClick={() => onReview(c.id)}
          aria-label={t('inbox.reviewLabel', {
            kind: kindLabel(t, c.kind),
            entity: c.entityRef,
            env: c.environment,
          })}
        >
          {t('inbox.review')}
        </Button>
      ),
    },
  ];
}

/** Everything waiting for the signed-in user's decision, across entities. */
export function ApprovalsInbox() {
  const t = useGitOpsTranslation();
  const api = useApi(gitopsApiRef);
  const userRef = useUserRef();
  const [items, setItems] = useState<ChangeRequest[]>();
  const [error, setError] = useState<Error>();
  const [detail, setDetail] = useState<string>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick(n => n + 1), []);
  const columns = useMemo(() => inboxColumns(t, id => setDetail(id)), [t]);
  // again when a request awaits approval (new, or a decision on it) or one listed here moves on
  // (a live update); without signals every 30 s
  useLiveRefresh<GitOpsChangesSignal>(GITOPS_CHANGES_CHANNEL, refresh, {
    accept: m =>
      m.changes.some(
        c =>
          c.state === 'awaiting_approval' || !!items?.some(i => i.id === c.id),
      ),
  });

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
        title={t('approvalsTitle')}
        description={t('approvalsSubtitle')}
      >
        <Button onClick={refresh}>{t('refresh')}</Button>
      </ContentHeader>
      {error && (
        <ResponseErrorPanel error={error} title={t('approvalsLoadError')} />
      )}
      {!items && !error && (
        <Skeleton variant="rect" height={160} aria-label={t('loadingLabel')} />
      )}
      {items && items.length === 0 && (
        <Alert severity="success">{t('inbox.empty')}</Alert>
      )}
      {items && items.length > 0 && (
        <div role="region" aria-label={t('approvalsTitle')}>
          <Table<ChangeRequest>
            options={{ paging: false, search: false, toolbar: false }}
            columns={columns}
            data={items}
          />
        </div>
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
  const t = useGitOpsTranslation();
  return (
    <Page themeId="tool">
      <Header title={t('pluginTitle')} subtitle={t('approvalsSubtitle')} />
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
