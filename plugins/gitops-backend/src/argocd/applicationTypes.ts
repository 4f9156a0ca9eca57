/**
 * The Argo CD Application as its REST API sends it, transcribed from Argo
 * CD's OpenAPI document (`v1alpha1Application` and the types it contains).
 * Only the fields this plugin reads or writes are typed; everything is
 * optional because grpc-gateway omits empty fields. The other calls' bodies
 * are in `./types`.
 */

/** @public */
export interface ArgoObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  creationTimestamp?: string;
}

/** @public */
export interface ArgoHelmParameter {
  name: string;
  value?: string;
  forceString?: boolean;
}

/** @public */
export interface ArgoApplicationSource {
  repoURL: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  ref?: string;
  name?: string;
  helm?: {
    valueFiles?: string[];
    values?: string;
    valuesObject?: unknown;
    parameters?: ArgoHelmParameter[];
    releaseName?: string;
  };
  kustomize?: { images?: string[] };
}

/** @public */
export interface ArgoSyncPolicy {
  automated?: {
    enabled?: boolean;
    prune?: boolean;
    selfHeal?: boolean;
    allowEmpty?: boolean;
  } | null;
  syncOptions?: string[];
  retry?: unknown;
}

/** @public */
export interface ArgoApplicationSpec {
  project: string;
  source?: ArgoApplicationSource;
  sources?: ArgoApplicationSource[];
  destination: { server?: string; name?: string; namespace?: string };
  syncPolicy?: ArgoSyncPolicy;
  revisionHistoryLimit?: number;
  [key: string]: unknown;
}

/** @public */
export interface ArgoInitiatedBy {
  username?: string;
  automated?: boolean;
}

/** @public */
export interface ArgoInfo {
  name: string;
  value: string;
}

/** @public */
export interface ArgoSyncOperation {
  revision?: string;
  revisions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  syncOptions?: string[];
  resources?: ArgoSyncResource[];
  source?: ArgoApplicationSource;
  sources?: ArgoApplicationSource[];
}

/** @public */
export interface ArgoOperation {
  sync?: ArgoSyncOperation;
  initiatedBy?: ArgoInitiatedBy;
  info?: ArgoInfo[];
  retry?: unknown;
}

/** @public */
export interface ArgoResourceResult {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: string;
  message?: string;
  hookPhase?: string;
  hookType?: string;
  syncPhase?: string;
  images?: string[];
}

/** @public */
export interface ArgoOperationState {
  operation?: ArgoOperation;
  phase: 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  syncResult?: {
    revision?: string;
    revisions?: string[];
    resources?: ArgoResourceResult[];
    source?: ArgoApplicationSource;
  };
  startedAt?: string;
  finishedAt?: string;
  retryCount?: number;
}

/** @public */
export interface ArgoRevisionHistory {
  /** int64: a number in responses; accept strings too. */
  id: number | string;
  revision?: string;
  revisions?: string[];
  deployedAt?: string;
  deployStartedAt?: string;
  source?: ArgoApplicationSource;
  sources?: ArgoApplicationSource[];
  initiatedBy?: ArgoInitiatedBy;
}

/** @public */
export interface ArgoHealthStatus {
  status?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface ArgoResourceStatus {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: string;
  health?: ArgoHealthStatus;
  hook?: boolean;
  requiresPruning?: boolean;
}

/** @public */
export interface ArgoApplicationStatus {
  sync?: { status?: string; revision?: string; revisions?: string[] };
  health?: ArgoHealthStatus;
  history?: ArgoRevisionHistory[];
  operationState?: ArgoOperationState;
  resources?: ArgoResourceStatus[];
  summary?: { images?: string[]; externalURLs?: string[] };
  conditions?: Array<{
    type: string;
    message: string;
    lastTransitionTime?: string;
  }>;
  reconciledAt?: string;
  sourceType?: string;
  sourceTypes?: string[];
}

/** `v1alpha1Application`. @public */
export interface ArgoApplication {
  apiVersion?: string;
  kind?: string;
  metadata: ArgoObjectMeta;
  spec: ArgoApplicationSpec;
  status?: ArgoApplicationStatus;
  operation?: ArgoOperation;
}

/** `v1alpha1ApplicationList`. @public */
export interface ArgoApplicationList {
  metadata?: { resourceVersion?: string };
  items?: ArgoApplication[] | null;
}

/** `v1alpha1SyncOperationResource`. @public */
export interface ArgoSyncResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}
