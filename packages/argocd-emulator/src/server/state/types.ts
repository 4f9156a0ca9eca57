/** Shapes shared by the controller's parts: per-app state, options, request bodies. */
import type { GitopsRepo } from '../../git/GitopsRepo';
import type { SyncWindow } from '../../logic/windows';
import type {
  Application,
  ApplicationSource,
  KubeObject,
  OperationState,
  RevisionHistory,
} from '../../logic/types';
import type { LiveMeta } from '../live/liveViews';

/** Persisted controller state. @public */
export interface ControllerState {
  version: 1;
  rv: number;
  projects: AppProject[];
  apps: {
    app: Application;
    history: RevisionHistory[];
    operationState?: OperationState;
    live: KubeObject[];
    liveMeta: {
      revision?: string;
      source?: ApplicationSource;
      phase: 'Progressing' | 'Healthy' | 'Degraded';
      phaseSince: string;
      deployRevision: number;
    };
    imported?: Record<string, any>;
    lastAutoSync?: { revision: string; phase: string };
    healthTransition: string;
    specChangedAt?: string;
  }[];
}

/** Clock used for every timestamp and window evaluation. @public */
export interface Clock {
  now(): Date;
}

/** The project object (AppProject). @public */
export interface AppProject {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    [k: string]: unknown;
  };
  spec: {
    description?: string;
    sourceRepos?: string[];
    destinations?: unknown[];
    syncWindows?: SyncWindow[];
    [k: string]: unknown;
  };
  status?: Record<string, unknown>;
}

/** The last comparison of desired (git) and live state. */
export interface Comparison {
  /** The resolved revision (multi-source: the revisions joined with `,`, a key only). */
  targetSha?: string;
  /** The resolved revision of each source. */
  targetShas?: string[];
  target?: KubeObject[];
  error?: string;
  reconciledAt: string;
}

/** Everything the controller knows about one application. */
export interface AppState {
  app: Application; // metadata + spec + operation (status composed on read)
  history: RevisionHistory[];
  operationState?: OperationState;
  live: Map<string, KubeObject>;
  liveMeta: LiveMeta;
  comparison?: Comparison;
  /** Loaded verbatim (e.g. a recorded Application): status is kept as given. */
  imported?: Record<string, any>;
  opTimer?: NodeJS.Timeout;
  healthTimer?: NodeJS.Timeout;
  lastAutoSync?: { revision: string; phase: string };
  healthTransition: string;
  lastHealth?: string;
  /** When argocd-server last wrote metadata/spec/operation (its managedFields entry). */
  specChangedAt?: string;
  /** Status as last composed, keyed by resourceVersion + reconciledAt (every change bumps resourceVersion). */
  statusCache?: { key: string; json: string };
}

/** Controller options. @public */
export interface ControllerOptions {
  repo: GitopsRepo;
  clock: Clock;
  operationDurationMs: number;
  healthProgressingMs: number;
  isBrokenTag: (tag: string) => boolean;
  isSyncFailTag: (tag: string) => boolean;
  slowOperationsMs: () => number;
  /** Called after every state change (used to persist state). */
  onChange?: () => void;
  namespace?: string;
  /**
   * Argo CD's `controller.resource.health.persist` (default false since 3.0):
   * when true, per-resource health is kept in the Application (lists show it,
   * no `resourceHealthSource`).
   */
  persistResourceHealth?: boolean;
}

/** Body of POST /sync (ApplicationSyncRequest). @public */
export interface SyncRequest {
  name?: string;
  revision?: string;
  /** Multi-source: revisions for the sources at `sourcePositions` (1-based). */
  revisions?: string[];
  sourcePositions?: (number | string)[];
  dryRun?: boolean;
  prune?: boolean;
  strategy?: any;
  resources?: {
    group?: string;
    kind: string;
    name: string;
    namespace?: string;
  }[];
  syncOptions?: { items?: string[] };
  retryStrategy?: Record<string, unknown>;
  infos?: { name: string; value: string }[];
  manifests?: string[];
  appNamespace?: string;
  project?: string;
}

/** Body of POST /rollback (ApplicationRollbackRequest). @public */
export interface RollbackRequest {
  id?: number | string;
  dryRun?: boolean;
  prune?: boolean;
  appNamespace?: string;
  project?: string;
}

/** Lookup scope (query params appNamespace/project). @public */
export interface Scope {
  appNamespace?: string;
  project?: string | string[];
}

/** List filters of GET /applications and the stream. */
export interface ListFilters {
  selector?: string;
  projects?: string[];
  name?: string;
  repo?: string;
  appNamespace?: string;
}

/** Application change kinds of the watch stream. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export const DEFAULT_SERVER = 'https://kubernetes.default.svc';

/** RFC 3339 without milliseconds, as Kubernetes writes timestamps. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether an app's automated sync is on (3.1+: present and enabled !== false). */
export function autoSyncEnabled(app: Application): boolean {
  const a = app.spec.syncPolicy?.automated;
  return !!a && a.enabled !== false;
}
