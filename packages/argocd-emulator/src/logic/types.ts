/* Argo CD v1alpha1 shapes (the subset the emulator reads/writes; extra fields are kept as-is). */

/** @public */
export interface HelmParameter {
  name: string;
  value?: string;
  forceString?: boolean;
}

/** @public */
export interface ApplicationSource {
  repoURL: string;
  path?: string;
  /** Multi-source: name other sources use as `$<ref>/<file>` in valueFiles. */
  ref?: string;
  chart?: string;
  targetRevision?: string;
  helm?: {
    valueFiles?: string[];
    values?: string;
    valuesObject?: Record<string, unknown>;
    parameters?: HelmParameter[];
    releaseName?: string;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

/** @public */
export interface OperationInitiator {
  username?: string;
  automated?: boolean;
}

/** @public */
export interface RevisionHistory {
  id: number;
  revision?: string;
  revisions?: string[];
  deployedAt: string;
  deployStartedAt?: string;
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  initiatedBy?: OperationInitiator;
  [k: string]: unknown;
}

/** @public */
export interface SyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** @public */
export interface SyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  syncStrategy?: { apply?: { force?: boolean }; hook?: { force?: boolean } };
  resources?: SyncOperationResource[];
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  syncOptions?: string[];
  autoHealAttemptsCount?: number;
  [k: string]: unknown;
}

/** @public */
export interface Operation {
  sync?: SyncOperation;
  initiatedBy?: OperationInitiator;
  info?: { name: string; value: string }[];
  retry?: Record<string, unknown>;
}

/** @public */
export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: string;
  message: string;
  hookPhase?: string;
  syncPhase?: string;
  images?: string[];
}

/** @public */
export interface OperationState {
  operation: Operation;
  phase: 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  syncResult?: {
    resources?: ResourceResult[];
    revision?: string;
    source?: ApplicationSource;
    revisions?: string[];
    sources?: ApplicationSource[];
  };
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

/** @public */
export interface Application {
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    [k: string]: unknown;
  };
  spec: {
    project: string;
    source?: ApplicationSource;
    sources?: ApplicationSource[];
    destination: { server?: string; name?: string; namespace?: string };
    syncPolicy?: {
      automated?: {
        enabled?: boolean;
        prune?: boolean;
        selfHeal?: boolean;
        allowEmpty?: boolean;
      };
      syncOptions?: string[];
      retry?: Record<string, unknown>;
      [k: string]: unknown;
    };
    revisionHistoryLimit?: number;
    [k: string]: unknown;
  };
  status?: Record<string, any>;
  operation?: Operation;
}

/** A Kubernetes object (manifest). @public */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
