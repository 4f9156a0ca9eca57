import { Table, type TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  LastOperation,
  SyncResourceResult,
} from '@internal/plugin-gitops-common';

const columns: TableColumn<SyncResourceResult>[] = [
  {
    title: 'Resource',
    render: r => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`,
  },
  {
    title: 'Hook / phase',
    render: r => [r.hookType, r.syncPhase].filter(Boolean).join(' · ') || '—',
  },
  {
    title: 'Result',
    render: r => (
      <Typography variant="body2" color={r.failed ? 'error' : 'textPrimary'}>
        {[r.status, r.hookPhase && r.hookType ? r.hookPhase : undefined]
          .filter(Boolean)
          .join(' · ') || '—'}
      </Typography>
    ),
  },
  { title: 'Message', field: 'message' },
];

const SEVERITY = {
  Failed: 'error',
  Error: 'error',
  Succeeded: 'success',
  Running: 'info',
  Terminating: 'info',
} as const;

function initiator(op: NonNullable<LastOperation['operation']>): string {
  if (op.initiatedBy) return ` (by ${op.initiatedBy})`;
  return op.automated ? ' (automated)' : '';
}

/** The last operation (phase, message, per-resource results with hooks) and the app's conditions. */
export function LastOperationPanel({ value }: { value: LastOperation }) {
  const op = value.operation;
  return (
    <Box role="region" aria-label="Last operation">
      {value.conditions.map((c, i) => (
        <Alert key={i} severity="warning" style={{ marginBottom: 8 }}>
          {c.type}: {c.message}
        </Alert>
      ))}
      {op ? (
        <>
          <Alert severity={SEVERITY[op.phase]} style={{ marginBottom: 8 }}>
            Last sync {op.phase}
            {initiator(op)}
            {op.message ? `: ${op.message}` : ''}
          </Alert>
          {op.results.length > 0 && (
            <Table<SyncResourceResult>
              title="Sync results"
              options={{ paging: false, search: false, padding: 'dense' }}
              columns={columns}
              data={op.results}
            />
          )}
        </>
      ) : (
        <Typography variant="body2">No operation recorded.</Typography>
      )}
    </Box>
  );
}
