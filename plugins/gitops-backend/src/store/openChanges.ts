import { ChangeKind, ChangeState } from '@internal/plugin-gitops-common';
import { Knex } from 'knex';
import { RawChangeRow } from './rows';
import { REQUESTS } from './tables';

/** The open change of one entity and environment, as the fleet shows it. @internal */
export interface OpenChangeSummary {
  id: string;
  entityRef: string;
  environment: string;
  state: ChangeState;
  kind: ChangeKind;
  version?: string;
}

/** At most this many refs per `IN (…)` list (SQLite's bound-parameter limit). */
const CHUNK = 500;

/**
 * The open changes (one per entity and environment: the `open_slot` is set
 * exactly while a change is open) of the given entities, or of every entity
 * when `entityRefs` is undefined. One query per 500 refs, no approvals read.
 *
 * @internal
 */
export async function listOpenChanges(
  db: Knex,
  entityRefs?: string[],
): Promise<OpenChangeSummary[]> {
  const select = () =>
    db<RawChangeRow>(REQUESTS)
      .select('id', 'entity_ref', 'environment', 'state', 'kind', 'version')
      .whereNotNull('open_slot');
  let rows: Array<
    Pick<
      RawChangeRow,
      'id' | 'entity_ref' | 'environment' | 'state' | 'kind' | 'version'
    >
  >;
  if (entityRefs === undefined) {
    rows = await select();
  } else {
    const unique = [...new Set(entityRefs)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += CHUNK) {
      chunks.push(unique.slice(i, i + CHUNK));
    }
    rows = (
      await Promise.all(chunks.map(c => select().whereIn('entity_ref', c)))
    ).flat();
  }
  return rows.map(r => ({
    id: r.id,
    entityRef: r.entity_ref,
    environment: r.environment,
    state: r.state as ChangeState,
    kind: r.kind as ChangeKind,
    ...(r.version ? { version: r.version } : {}),
  }));
}
