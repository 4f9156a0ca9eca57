/**
 * Read-side types: what runs where. Shared by the backend (which produces them)
 * and the frontend (which renders them).
 */

/** Argo CD sync status. @public */
export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

/** Argo CD / Kubernetes health status. @public */
export type HealthStatusCode =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** Phase of an Argo CD operation. @public */
export type OperationPhase =
  | 'Running'
  | 'Terminating'
  | 'Succeeded'
  | 'Failed'
  | 'Error';

/** An error limited to one environment (the other environments still answer). @public */
export interface EnvironmentError {
  /** Error class, e.g. `ServiceUnavailableError`, `NotFoundError`. */
  name: string;
  /** A sentence for people; never contains credentials. */
  message: string;
  /** The Argo CD instance (or Kubernetes cluster) that failed, when known. */
  instance?: string;
}

/** The last or currently running Argo CD operation of an application. @public */
export interface OperationSummary {
  phase: OperationPhase;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  /** Argo CD username, or `automated` for auto-sync. */
  initiatedBy?: string;
  /** Our change request id, when the operation carries our `infos` stamp. */
  changeId?: string;
  dryRun?: boolean;
  /** The revision the operation syncs to. */
  revision?: string;
}

/** State of a sync window (ours from policy, merged with Argo CD's own). @public */
export interface WindowState {
  /** Whether a change may run now. */
  open: boolean;
  /** When the current open period ends (ISO), if open and bounded. */
  openUntil?: string;
  /** When the next open period starts (ISO), if closed. */
  nextOpen?: string;
  /** Sentence for people, e.g. "outside the window; next opens Mon 06:00 UTC". */
  message: string;
  /** Argo CD's own verdict (`canSync` of its syncwindows endpoint), when read. */
  argoCdCanSync?: boolean;
}

/** The Argo CD application that backs one environment. @public */
export interface EnvironmentApplication {
  name: string;
  namespace?: string;
  project?: string;
  /** Argo CD instance name from config. */
  instance: string;
  /** Link to the application in Argo CD's UI (uses the instance's externalUrl). */
  url?: string;
  autoSync: boolean;
  /** Git repository, path and target revision the app deploys from. */
  source?: {
    repoURL: string;
    path?: string;
    chart?: string;
    targetRevision?: string;
  };
}

/** Where a version candidate was read. @public */
export type VersionSource =
  /** The tag of the application's own image (by its configured repository) in `status.summary.images`. */
  | 'image'
  /** The write-back key (e.g. `image.tag`) in the environment's values file at the synced revision. */
  | 'git'
  /** A Helm parameter of the application source (the `argocd` write-back). */
  | 'helm-parameter'
  /** Our deployment record of the change that deployed it. */
  | 'record'
  /** A git tag on the synced commit (only when nothing else says; app-prefixed tags count for that app only). */
  | 'git-tag'
  /** The Helm chart version (chart sources) or a Helm release's appVersion. */
  | 'chart';

/** One value a source says the version is. @public */
export interface VersionCandidate {
  source: VersionSource;
  version: string;
  /** What exactly was read, e.g. the image reference or `apps/x/values.yaml: image.tag`. */
  detail?: string;
}

/**
 * Which version runs (or ran), and how sure we are: `known` (one answer),
 * `ambiguous` (sources disagree: no version is assumed), `unknown` (nothing
 * names it).
 *
 * @public
 */
export interface VersionIdentity {
  status: 'known' | 'ambiguous' | 'unknown';
  /** Set only when `known`. */
  version?: string;
  /** The source the version was taken from (when `known`). */
  source?: VersionSource;
  /** Every candidate considered. */
  candidates: VersionCandidate[];
  /** Sentence for people, e.g. "image tag and Git disagree: v1.2.0 (image), v1.3.0 (git)". */
  message: string;
}

/** Everything the tab shows about one environment of an entity. @public */
export interface EnvironmentState {
  /** Environment name from the pipeline, e.g. `prod`. */
  name: string;
  /** Position in the pipeline, 0-based. */
  order: number;
  /** Environment whose versions this one takes. */
  promotesFrom?: string;
  application?: EnvironmentApplication;
  syncStatus?: SyncStatusCode;
  /** Commit SHA (or chart version) that is synced. */
  revision?: string;
  health?: { status: HealthStatusCode; message?: string };
  operation?: OperationSummary;
  /**
   * Version running now (the tag of the application's own image, see
   * `versionIdentity`); absent when unknown or ambiguous.
   */
  version?: string;
  /** How `version` was determined, with the candidates when they disagree. */
  versionIdentity?: VersionIdentity;
  /** Every container image of the app's live resources. */
  images: string[];
  lastDeployedAt?: string;
  lastDeployedBy?: string;
  /** Healthy now since (not before the last deployment); absent when not Healthy. */
  healthySince?: string;
  conditions: Array<{
    type: string;
    message: string;
    lastTransitionTime?: string;
  }>;
  unhealthyResources: number;
  /** Window state from policy and Argo CD; absent when no window applies. */
  window?: WindowState;
  /** Set when this environment could not be read. */
  error?: EnvironmentError;
  /** Where the application object came from and whether it may be stale. */
  freshness?: EnvironmentFreshness;
}

/**
 * Where an environment's Argo CD application was read from: the backend's
 * mirror kept by Argo CD's watch stream (`mirror`, fresh within the event
 * latency), or Argo CD directly (`direct`, through the short read cache).
 * `stale` is true while the mirror is down and reads fall back to Argo CD:
 * the data may be as old as the read cache allows. @public
 */
export interface EnvironmentFreshness {
  source: 'mirror' | 'direct';
  stale: boolean;
}

/** Response of `GET /entities/:kind/:namespace/:name/environments`. @public */
export interface EntityGitOpsState {
  entityRef: string;
  pipeline: string;
  environments: EnvironmentState[];
}

/** Git commit metadata for a history row (server-side, cached by SHA). @public */
export interface CommitInfo {
  sha: string;
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
}

/** One source of a multi-source application's history row. @public */
export interface HistorySourceRevision {
  /** 0-based position in the application's `sources`. */
  index: number;
  repoURL?: string;
  path?: string;
  chart?: string;
  /** Commit SHA or chart version of this source. */
  revision?: string;
  /** Commit metadata of this source's revision (git sources only). */
  commit?: CommitInfo;
}

/** One row of an environment's deployment history. @public */
export interface HistoryEntry {
  /** `argocd` history id, or `helm` release revision. */
  source: 'argocd' | 'helm';
  id: string;
  /** Commit SHA or chart version (of the first source for multi-source apps). */
  revision?: string;
  /** Version deployed by this row; absent when unknown or ambiguous. */
  version?: string;
  /** How `version` was determined. */
  versionIdentity?: VersionIdentity;
  deployedAt?: string;
  deployStartedAt?: string;
  /** Argo CD's initiator: a username or `automated`. */
  initiatedBy?: string;
  /**
   * Who deployed it: the requester of our change (user entity ref), else
   * Argo CD's initiator (`automated` for auto-sync / image updater syncs).
   */
  deployedBy?: string;
  /** Our change request that made this deployment, when it was ours. */
  changeId?: string;
  /** Approvers of that change (user entity refs). */
  approvedBy?: string[];
  /** Start of its Healthy period, when recorded or seen. */
  healthySince?: string;
  /** First time it was seen Degraded: it then never counts as having run healthy. */
  degradedAt?: string;
  /** Commit metadata (of the first source for multi-source apps). */
  commit?: CommitInfo;
  /** Multi-source applications: every source with its revision and commit. */
  sources?: HistorySourceRevision[];
  /** Only for Helm rows. Values never leave the backend. */
  helm?: {
    release: string;
    namespace: string;
    chart: string;
    chartVersion: string;
    appVersion?: string;
    status: string;
    description?: string;
  };
  /** Link to Argo CD (or nothing for Helm). */
  url?: string;
}

/** Response of `GET …/environments/:env/history`. @public */
export interface EnvironmentHistory {
  items: HistoryEntry[];
  /** Partial failures (e.g. the Helm cluster could not be read). */
  errors: EnvironmentError[];
}

/** One managed resource with a readable diff of live vs target. @public */
export interface ResourceDiff {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Whether live differs from target. */
  modified: boolean;
  /** Unified diff (YAML) of live vs target; Secret data is redacted. */
  diff: string;
  /** `create` when only target exists, `delete` when only live exists. */
  change: 'create' | 'update' | 'delete' | 'none';
}

/** Response of `GET …/environments/:env/diff`. @public */
export interface EnvironmentDiff {
  items: ResourceDiff[];
}

/** A live resource of an environment. @public */
export interface ResourceSummary {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  health?: { status: HealthStatusCode; message?: string };
  images: string[];
  parentRefs?: Array<{ kind: string; name: string }>;
}

/** Response of `GET …/environments/:env/resources`. @public */
export interface EnvironmentResources {
  items: ResourceSummary[];
}
