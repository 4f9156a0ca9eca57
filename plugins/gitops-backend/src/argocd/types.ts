/**
 * Argo CD REST API types, transcribed from Argo CD's OpenAPI document: the
 * request bodies we send (`applicationApplicationSyncRequest`, …) and the
 * answers of the calls besides the Application (managed resources, resource
 * tree, manifests, revision metadata, sync windows, errors). The Application
 * is in `./applicationTypes` (re-exported here). Only the fields this plugin
 * reads or writes are typed; everything is optional because grpc-gateway
 * omits empty fields.
 */
import {
  ArgoHealthStatus,
  ArgoInfo,
  ArgoSyncResource,
} from './applicationTypes';

export * from './applicationTypes';

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
