/**
 * Argo CD REST API types, transcribed from Argo CD's OpenAPI document
 * (`v1alpha1Application`, `applicationApplicationSyncRequest`, …). Only the
 * fields this plugin reads or writes are typed; everything is optional because
 * grpc-gateway omits empty fields.
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

/** `applicationApplicationSyncRequest` (name/appNamespace/project filled by the client). @public */
export interface ApplicationSyncRequest {
  revision?: string;
  revisions?: string[];
  sourcePositions?: Array<number | string>;
  dryRun?: boolean;
  prune?: boolean;
  strategy?: { apply?: { force?: boolean }; hook?: { force?: boolean } };
  resources?: ArgoSyncResource[];
  syncOptions?: { items: string[] };
  retryStrategy?: {
    limit?: number | string;
    backoff?: {
      duration?: string;
      factor?: number | string;
      maxDuration?: string;
    };
    refresh?: boolean;
  };
  infos?: ArgoInfo[];
  manifests?: string[];
  project?: string;
  appNamespace?: string;
}

/** `applicationApplicationRollbackRequest` without identity fields. @public */
export interface ApplicationRollbackRequest {
  id: number | string;
  dryRun?: boolean;
  prune?: boolean;
  project?: string;
  appNamespace?: string;
}

/** `v1alpha1ResourceDiff`: the four state fields are JSON documents encoded as strings. @public */
export interface ArgoResourceDiff {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  hook?: boolean;
  modified?: boolean;
  resourceVersion?: string;
  liveState?: string;
  targetState?: string;
  normalizedLiveState?: string;
  predictedLiveState?: string;
  diff?: string;
}

/** `applicationManagedResourcesResponse`. @public */
export interface ArgoManagedResourcesResponse {
  items?: ArgoResourceDiff[] | null;
}

/** `v1alpha1ResourceNode`. @public */
export interface ArgoResourceNode {
  group?: string;
  version?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  parentRefs?: Array<{
    group?: string;
    kind: string;
    namespace?: string;
    name: string;
    uid?: string;
  }>;
  health?: ArgoHealthStatus;
  info?: Array<{ name: string; value: string }>;
  images?: string[];
  resourceVersion?: string;
  createdAt?: string;
}

/** `v1alpha1ApplicationTree`. @public */
export interface ArgoApplicationTree {
  nodes?: ArgoResourceNode[] | null;
  orphanedNodes?: ArgoResourceNode[] | null;
}

/** `repositoryManifestResponse`. @public */
export interface ArgoManifestResponse {
  manifests?: string[];
  namespace?: string;
  server?: string;
  revision?: string;
  sourceType?: string;
}

/** `v1alpha1RevisionMetadata`. @public */
export interface ArgoRevisionMetadata {
  author?: string;
  date?: string;
  message?: string;
  tags?: string[];
  references?: unknown[];
}

/** `applicationApplicationSyncWindow`. @public */
export interface ArgoAppSyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  manualSync?: boolean;
}

/** `applicationApplicationSyncWindowsResponse`. @public */
export interface ArgoSyncWindowsResponse {
  assignedWindows?: ArgoAppSyncWindow[] | null;
  activeWindows?: ArgoAppSyncWindow[] | null;
  canSync?: boolean;
}

/** Argo CD's error body (grpc-gateway). @public */
export interface ArgoErrorBody {
  error?: string;
  code?: number;
  message?: string;
  details?: unknown[];
}
