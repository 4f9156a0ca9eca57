/**
 * Fleet types: every entity × environment the caller can see, on one page.
 * Produced by `GET /fleet`, rendered by the fleet page.
 */
import type {
  EnvironmentError,
  HealthStatusCode,
  OperationPhase,
  SyncStatusCode,
} from './state';
import type { ChangeKind, ChangeState } from './changes';

/**
 * States the fleet can be filtered by (`state=` of `GET /fleet`, comma
 * separated; an entity matches when one of its environments is in any of
 * them):
 *
 * - `out-of-sync`: Argo CD says OutOfSync;
 * - `degraded`: health Degraded (or Missing);
 * - `pending-change`: an open change request (awaiting approval, approved,
 *   waiting for its window, executing);
 * - `blocked-by-window`: the environment's policy window is closed now;
 * - `promotable`: a version of the previous environment is waiting to be
 *   promoted into this one (see {@link FleetPromotion}).
 *
 * @public
 */
export type FleetState =
  | 'out-of-sync'
  | 'degraded'
  | 'pending-change'
  | 'blocked-by-window'
  | 'promotable';

/** Every {@link FleetState}, in display order. @public */
export const FLEET_STATES: readonly FleetState[] = [
  'out-of-sync',
  'degraded',
  'pending-change',
  'blocked-by-window',
  'promotable',
];

/** One environment of one entity on the fleet page. @public */
export interface FleetEnvironment {
  /** Environment name from the pipeline, e.g. `prod`. */
  name: string;
  /** Position in the pipeline, 0-based. */
  order: number;
  /** Environment whose versions this one takes. */
  promotesFrom?: string;
  /** The bound Argo CD application. */
  application?: { name: string; instance: string; url?: string };
  /** Version running now; absent when unknown or ambiguous. */
  version?: string;
  /** How sure the version is (see `VersionIdentity.status`). */
  versionStatus?: 'known' | 'ambiguous' | 'unknown';
  syncStatus?: SyncStatusCode;
  health?: HealthStatusCode;
  /** The operation that is running now (none when the last one finished). */
  operation?: {
    phase: OperationPhase;
    startedAt?: string;
    /** Our change request, when the operation carries our stamp. */
    changeId?: string;
  };
  /** The open change request of this entity and environment, if any. */
  pendingChange?: {
    id: string;
    state: ChangeState;
    kind: ChangeKind;
    version?: string;
  };
  /** The environment's policy window now (absent when no window applies). */
  window?: {
    open: boolean;
    /** When the current open period ends (ISO), if open and bounded. */
    openUntil?: string;
    /** When the next open period starts (ISO), if closed. */
    nextOpen?: string;
    message: string;
  };
  /** Set when this environment could not be read. */
  error?: EnvironmentError;
}

/**
 * A version that runs in one environment and is waiting to be promoted into
 * the next one (e.g. dev ahead of staging). @public
 */
export interface FleetPromotion {
  /** Where the version runs, e.g. `dev`. */
  from: string;
  /** Where it would go, e.g. `staging`. */
  to: string;
  /** The version waiting, e.g. `v1.3.0`. */
  version: string;
  /** What runs in `to` now. */
  current: string;
  /** Set when the versions are not both semantic versions: they differ, but cannot be ordered. */
  unordered?: true;
}

/** One entity with its environments on the fleet page. @public */
export interface FleetEntity {
  entityRef: string;
  /** `metadata.title`, when set. */
  title?: string;
  /** Owner refs (`ownedBy` relations, else `spec.owner`). */
  owners: string[];
  /** System ref (`partOf` relation to a system, else `spec.system`). */
  system?: string;
  /** Pipeline name; absent when the entity's pipeline could not be resolved. */
  pipeline?: string;
  /** In pipeline order. */
  environments: FleetEnvironment[];
  /** What is waiting to be promoted, in pipeline order. */
  waiting: FleetPromotion[];
  /** The states the entity is in (union over its environments). */
  states: FleetState[];
  /** Set when the entity's GitOps state could not be read at all. */
  error?: EnvironmentError;
}

/** Response of `GET /fleet`. @public */
export interface FleetResponse {
  /** Matching entities, ordered by entity ref. */
  items: FleetEntity[];
  /** Environment names of the listed entities' pipelines, in pipeline order (the page's columns). */
  environments: string[];
  /** When the response was computed (ISO). */
  generatedAt: string;
}

/** Query of `GET /fleet`. @public */
export interface FleetQuery {
  /** Owner entity ref (`group:default/team-a`) or name (`team-a`). */
  owner?: string;
  /** System entity ref (`system:default/shop`) or name (`shop`). */
  system?: string;
  /** Only entities in any of these states. */
  state?: FleetState[];
}
