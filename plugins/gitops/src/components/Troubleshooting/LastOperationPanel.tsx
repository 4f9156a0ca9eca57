import { Table, type TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  LastOperation,
  SyncResourceResult,
} from '@internal/plugin-gitops-common';
import { useGitOpsTranslation } from '../../hooks/useGitOpsTranslation';
import type { GitOpsT } from '../../translation';

/** Joins the present parts with " · ", or "—" when none is present. */
function joined(parts: Array<string | undefined>): string {
  return parts.filter(Boolean).join(' · ') || '—';
}

function resourceName(r: SyncResourceResult): string {
  const namespace = r.namespace ? `${r.namespace}/` : '';
  return `${r.kind} ${namespace}${r.name}`;
}

/** The result status, with the hook's phase when the resource is a hook. */
function resultText(r: SyncResourceResult): string {
  const hookPhase = r.hookType ? r.hookPhase : undefined;
  return joined([r.status, hookPhase]);
}

function columnsOf(t: GitOpsT): TableColumn<SyncResourceResult>[] {
  return [
    {
      title: t('troubleshooting.operation.columnResource'),
      render: resourceName,
    },
    {
      title: t('troubleshooting.operation.columnHook'),
      render: r => joined([r.hookType, r.syncPhase]),
    },
    {
      title: t('troubleshooting.operation.columnResult'),
      render: r => (
        <Typography variant="body2" color={r.failed ? 'error' : 'textPrimary'}>
          {resultText(r)}
        </Typography>
      ),
    },
    { title: t('troubleshooting.operation.columnMessage'), field: 'message' },
  ];
}

const SEVERITY = {
  Failed: 'error',
  Error: 'error',
  Succeeded: 'success',
  Running: 'info',
  Terminating: 'info',
} as const;

function initiator(
  t: GitOpsT,
  op: NonNullable<LastOperation['operation']>,
): string {
  if (op.initiatedBy) {
    return t('troubleshooting.operation.initiatedBy', { user: op.initiatedBy });
  }
  return op.automated ? t('troubleshooting.operation.automated') : '';
}

/** The last operation (phase, message, per-resource results with hooks) and the app's conditions. */
export function LastOperationPanel({ value }: { value: LastOperation }) {
  const t = useGitOpsTranslation();
  const op = value.operation;
  return (
    <Box role="region" aria-label={t('troubleshooting.operation.region')}>
      {value.conditions.map((c, i) => (
        <Alert key={i} severity="warning" style={{ marginBottom: 8 }}>
          {c.type}: {c.message}
        </Alert>
      ))}
      {!op && (
        <Typography variant="body2">
          {t('troubleshooting.operation.none')}
        </Typography>
      )}
      {op && (
        <Alert severity={SEVERITY[op.phase]} style={{ marginBottom: 8 }}>
          {t('troubleshooting.operation.summary', { phase: op.phase })}
          {initiator(t, op)}
          {op.message
            ? t('troubleshooting.operation.message', { message: op.message })
            : ''}
        </Alert>
      )}
      {op && op.results.length > 0 && (
        <Table<SyncResourceResult>
          title={t('troubleshooting.operation.resultsTitle')}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columnsOf(t)}
          data={op.results}
        />
      )}
    </Box>
  );
}
