import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  FleetEntity,
  FleetEnvironment,
  FleetResponse,
} from '@internal/plugin-gitops-common';
import type { OpenChangeSummary } from '../store/openChanges';
import { decideWindows, toWindowState } from '../windows';
import { entityStates, matchesStates } from './fleetStates';
import {
  FleetCatalog,
  FleetChanges,
  FleetStateResult,
  FleetStateSource,
  FleetWindows,
} from './ports';
import { waitingPromotions } from './promotable';
import { ParsedFleetQuery } from './query';
import { toFleetEnvironment } from './toFleetEnvironment';

/**
 * The fleet: every entity × environment the caller can see. Per request one
 * catalog query (as the caller), one batched state read (the tab's read
 * path: the mirror or the read cache, no Argo CD call when they are warm),
 * one read of the open changes and one pure window evaluation per pipeline
 * environment; the per-entity work is mapping only.
 *
 * @internal
 */
export class FleetService {
  readonly #catalog: FleetCatalog;
  readonly #state: FleetStateSource;
  readonly #changes: FleetChanges;
  readonly #windows: FleetWindows;
  readonly #now: () => Date;

  static create(options: {
    catalog: FleetCatalog;
    state: FleetStateSource;
    changes: FleetChanges;
    windows: FleetWindows;
    now?: () => Date;
  }): FleetService {
    return new FleetService(options);
  }

  private constructor(options: {
    catalog: FleetCatalog;
    state: FleetStateSource;
    changes: FleetChanges;
    windows: FleetWindows;
    now?: () => Date;
  }) {
    this.#catalog = options.catalog;
    this.#state = options.state;
    this.#changes = options.changes;
    this.#windows = options.windows;
    this.#now = options.now ?? (() => new Date());
  }

  async list(
    query: ParsedFleetQuery,
    credentials: BackstageCredentials,
  ): Promise<FleetResponse> {
    const now = this.#now();
    const entities = await this.#catalog.listEntities(
      { owner: query.owner, system: query.system },
      credentials,
    );
    const refs = entities.map(e => stringifyEntityRef(e));
    const [states, open] = await Promise.all([
      this.#state.read(entities),
      entities.length ? this.#changes.listOpenChanges(refs) : [],
    ]);
    const pending = new Map<string, OpenChangeSummary>();
    for (const c of open) pending.set(`${c.entityRef}|${c.environment}`, c);
    const windowOf = this.#windowEvaluator(now);

    const items: FleetEntity[] = [];
    entities.forEach((entity, i) => {
      const item = fleetEntity(entity, refs[i], states[i], pending, windowOf);
      if (matchesStates(item.states, query.state)) items.push(item);
    });
    items.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    return {
      items,
      environments: columns(items),
      generatedAt: now.toISOString(),
    };
  }

  /** The window state of a pipeline environment now, evaluated once per request. */
  #windowEvaluator(now: Date) {
    const memo = new Map<string, FleetEnvironment['window'] | undefined>();
    return (pipeline: string, env: string) => {
      const key = `${pipeline}|${env}`;
      if (!memo.has(key)) {
        const windows = this.#windows(pipeline, env);
        let value: FleetEnvironment['window'] | undefined;
        if (windows?.length) {
          const { argoCdCanSync: _, ...w } = toWindowState(
            decideWindows(windows, undefined, now),
          );
          value = w;
        }
        memo.set(key, value);
      }
      return memo.get(key);
    };
  }
}

function fleetEntity(
  entity: Entity,
  entityRef: string,
  result: FleetStateResult | undefined,
  pending: Map<string, OpenChangeSummary>,
  windowOf: (pipeline: string, env: string) => FleetEnvironment['window'],
): FleetEntity {
  const base = {
    entityRef,
    ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
    owners: ownersOf(entity),
    ...systemOf(entity),
  };
  if (!result?.state) {
    return {
      ...base,
      environments: [],
      waiting: [],
      states: [],
      error: result?.error ?? {
        name: 'Error',
        message: 'the GitOps state was not read',
      },
    };
  }
  const { pipeline } = result.state;
  const environments = [...result.state.environments]
    .sort((a, b) => a.order - b.order)
    .map(s =>
      toFleetEnvironment(
        s,
        pending.get(`${entityRef}|${s.name}`),
        windowOf(pipeline, s.name),
      ),
    );
  const waiting = waitingPromotions(
    environments.map(e => ({ ...e, hasApplication: !!e.application })),
  );
  return {
    ...base,
    pipeline,
    environments,
    waiting,
    states: entityStates(environments, waiting),
  };
}

/** Owner refs: the `ownedBy` relations, else `spec.owner` as written. */
function ownersOf(entity: Entity): string[] {
  const fromRelations = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => r.targetRef);
  if (fromRelations.length) return [...new Set(fromRelations)];
  const owner = entity.spec?.owner;
  return typeof owner === 'string' && owner ? [owner] : [];
}

function systemOf(entity: Entity): { system?: string } {
  const rel = (entity.relations ?? []).find(
    r => r.type === RELATION_PART_OF && r.targetRef.startsWith('system:'),
  );
  if (rel) return { system: rel.targetRef };
  const s = entity.spec?.system;
  return typeof s === 'string' && s ? { system: s } : {};
}

/** The environment columns: every name, in pipeline order (first pipeline that has it decides ties). */
function columns(items: FleetEntity[]): string[] {
  const order = new Map<string, { order: number; seen: number }>();
  let seen = 0;
  for (const item of items) {
    for (const e of item.environments) {
      if (!order.has(e.name))
        order.set(e.name, { order: e.order, seen: seen++ });
    }
  }
  return [...order.entries()]
    .sort((a, b) => a[1].order - b[1].order || a[1].seen - b[1].seen)
    .map(([name]) => name);
}
