/** Application `status.history` rules (pure). */
import type { RevisionHistory } from './types';

/** Argo CD's default `spec.revisionHistoryLimit`. @public */
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** Whether a finished operation is recorded in history: full, non-dry-run, successful sync. @public */
export function shouldRecordHistory(op: {
  dryRun?: boolean;
  resources?: unknown[];
  phase: string;
}): boolean {
  return (
    op.phase === 'Succeeded' &&
    !op.dryRun &&
    !(op.resources && op.resources.length > 0)
  );
}

/**
 * Appends an entry with id = (last id + 1, or 0 when empty) and keeps the newest
 * `limit` entries (oldest dropped; ids never reused). Returns a new array.
 * @public
 */
export function appendHistory(
  history: RevisionHistory[] | undefined,
  entry: Omit<RevisionHistory, 'id'>,
  limit: number | undefined,
): RevisionHistory[] {
  const current = history ?? [];
  const lastId =
    current.length > 0 ? Math.max(...current.map(h => Number(h.id))) : -1;
  const next = [...current, { ...entry, id: lastId + 1 } as RevisionHistory];
  const cap =
    limit === undefined || limit === null
      ? DEFAULT_REVISION_HISTORY_LIMIT
      : limit;
  if (cap <= 0) return [];
  return next.length > cap ? next.slice(next.length - cap) : next;
}

/** Finds a history entry by id (accepting number or numeric string). @public */
export function findHistory(
  history: RevisionHistory[] | undefined,
  id: number | string,
): RevisionHistory | undefined {
  const n = Number(id);
  return (history ?? []).find(h => Number(h.id) === n);
}
