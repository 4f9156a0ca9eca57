/**
 * Troubleshooting of one environment (issue: "why OutOfSync, why the sync
 * failed, why Degraded"): the resource tree, events, pod logs, the last
 * operation and the OutOfSync causes, all read through Argo CD's API.
 *
 * Routes (mounted at `/api/gitops`, see {@link gitopsTroubleshootingPaths}):
 * - `GET …/environments/:env/troubleshooting/tree?health=Degraded,Missing` → ResourceTree
 * - `GET …/environments/:env/troubleshooting/events?resourceUID=&resourceName=&resourceNamespace=` → ResourceEvents
 * - `GET …/environments/:env/troubleshooting/logs?podName=&container=&tailLines=&sinceSeconds=&follow=`
 *   → newline-delimited JSON, one {@link LogStreamLine} per line (permission `gitops.logs.read`)
 * - `GET …/environments/:env/troubleshooting/operation` → LastOperation
 * - `GET …/environments/:env/troubleshooting/out-of-sync` → OutOfSyncReport
 */

/** Health of a resource as Argo CD reports it. @public */
export type ResourceHealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** Health values the tree can be filtered to. @public */
export const TREE_HEALTH_FILTERS = [
  'Degraded',
  'Missing',
  'Progressing',
] as const;

/** @public */
export type TreeHealthFilter = (typeof TREE_HEALTH_FILTERS)[number];

/** One node of the resource tree, with its children (Deployment → ReplicaSet → Pod). @public */
export interface ResourceTreeNode {
  /** Kubernetes uid (used to read the resource's events). */
  uid?: string;
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  health?: { status: ResourceHealthStatus; message?: string };
  /** Sync status of a managed resource; undefined for resources Argo CD does not manage directly (ReplicaSets, Pods). */
  syncStatus?: 'Synced' | 'OutOfSync' | 'Unknown';
  /** Argo CD's info lines, e.g. `Status Reason: ImagePullBackOff`, `Containers: 0/1`. */
  info: Array<{ name: string; value: string }>;
  images: string[];
  /** Pods: the containers (init containers first) whose logs can be read. */
  containers?: Array<{ name: string; init?: boolean }>;
  /** Whether this node or one of its descendants is unhealthy (Degraded, Missing, Progressing). */
  unhealthyPath: boolean;
  children: ResourceTreeNode[];
}

/** The resource tree of an environment's application. @public */
export interface ResourceTree {
  application: { instance: string; name: string; namespace?: string };
  /** Health of the application. */
  health?: ResourceHealthStatus;
  /** Top-level nodes (no parent in the tree). */
  roots: ResourceTreeNode[];
  /** The filter applied (nodes kept: matching ones and their ancestors). */
  filter?: TreeHealthFilter[];
}

/** A Kubernetes event as Argo CD lists it. @public */
export interface ResourceEvent {
  type: 'Normal' | 'Warning' | string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  involvedObject: {
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
  };
  source?: string;
}

/** Events of the application or of one resource, newest first. @public */
export interface ResourceEvents {
  items: ResourceEvent[];
}

/** One line of the log stream the backend sends to the browser. @public */
export type LogStreamLine =
  | {
      type: 'log';
      podName: string;
      content: string;
      timeStamp?: string;
    }
  | {
      /** The stream ended: `done` (Argo CD ended it), `limit` (size bound), `timeout` (time bound). */
      type: 'end';
      reason: 'done' | 'limit' | 'timeout';
      message?: string;
    }
  | { type: 'error'; message: string };

/** Query of the logs route. @public */
export interface LogQuery {
  podName: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  follow?: boolean;
}

/** One resource's result in an operation (hooks included). @public */
export interface SyncResourceResult {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `Synced`, `SyncFailed`, `Pruned`, `PruneSkipped`. */
  status?: string;
  message?: string;
  /** For hooks: `PreSync`, `Sync`, `PostSync`, `SyncFail`. */
  hookType?: string;
  /** `Running`, `Succeeded`, `Failed`, `Error`, `Terminating`. */
  hookPhase?: string;
  syncPhase?: string;
  /** Whether this result is a failure (failed hook or failed apply). */
  failed: boolean;
}

/** The application's last operation and its conditions. @public */
export interface LastOperation {
  operation?: {
    phase: 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    revision?: string;
    initiatedBy?: string;
    automated?: boolean;
    results: SyncResourceResult[];
  };
  conditions: Array<{
    type: string;
    message: string;
    lastTransitionTime?: string;
  }>;
}

/** Why one resource is out of sync. @public */
export type OutOfSyncCause =
  /** Live differs from what Argo CD last applied: someone changed it in the cluster. */
  | 'changed-in-cluster'
  /** The target's image tag changed in Git. */
  | 'new-image-tag'
  /** The target changed in Git otherwise (Helm values, manifests). */
  | 'target-changed'
  /** In Git, not in the cluster. */
  | 'missing'
  /** In the cluster, not in Git any more (needs pruning). */
  | 'extra'
  /** Out of sync, and the facts do not tell which of the above. */
  | 'unknown';

/** One out-of-sync resource and its likely cause. @public */
export interface OutOfSyncResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  cause: OutOfSyncCause;
  /** One sentence naming the cause (e.g. `image tag v1.2.0 → v9.9.9 in Git`). */
  explanation: string;
  /** Unified YAML diff live → target (secrets redacted). */
  diff: string;
}

/** OutOfSync causes of an environment. @public */
export interface OutOfSyncReport {
  syncStatus?: string;
  /** The revision Argo CD compares to, and the one it last synced (when known). */
  targetRevision?: string;
  syncedRevision?: string;
  items: OutOfSyncResource[];
}

/** Path builders of the troubleshooting routes. @public */
export const gitopsTroubleshootingPaths = {
  part: (
    kind: string,
    namespace: string,
    name: string,
    env: string,
    part: 'tree' | 'events' | 'logs' | 'operation' | 'out-of-sync',
  ) =>
    `/entities/${enc(kind)}/${enc(namespace)}/${enc(name)}/environments/${enc(
      env,
    )}/troubleshooting/${part}`,
};

function enc(s: string): string {
  return encodeURIComponent(s);
}
