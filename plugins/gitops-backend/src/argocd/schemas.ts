import { z } from 'zod';
import {
  ArgoApplication,
  ArgoApplicationList,
  ArgoApplicationTree,
  ArgoManagedResourcesResponse,
  ArgoManifestResponse,
  ArgoRevisionMetadata,
  ArgoSyncWindowsResponse,
} from './types';

/**
 * zod schemas of the Argo CD answers we read, for the fields we use (see
 * Argo CD's OpenAPI document: `v1alpha1Application`, …). Whatever Argo CD
 * (or a proxy in front of it) sends is checked here before any other code
 * reads it. Objects keep their unknown fields (`passthrough`): a spec read
 * here may be written back whole (`PUT …/spec`). grpc-gateway omits empty
 * fields and sometimes sends `null` for empty lists; both become `undefined`.
 */

type Out<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

const str = z.string();
const optStr = z
  .string()
  .nullish()
  .transform(v => v ?? undefined);
const optBool = z
  .boolean()
  .nullish()
  .transform(v => v ?? undefined);
/** int64 fields: numbers in JSON, but grpc-gateway may send strings. */
const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]);
const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform(v => v ?? undefined);
const strMap = z
  .record(z.string())
  .nullish()
  .transform(v => v ?? undefined);

const objectMeta = z
  .object({
    name: str.min(1),
    namespace: optStr,
    labels: strMap,
    annotations: strMap,
    resourceVersion: optStr,
    creationTimestamp: optStr,
  })
  .passthrough();

const helmParameter = z
  .object({ name: str, value: optStr, forceString: optBool })
  .passthrough();

const source = z
  .object({
    repoURL: str,
    path: optStr,
    chart: optStr,
    targetRevision: optStr,
    ref: optStr,
    name: optStr,
    helm: z
      .object({
        valueFiles: list(str),
        values: optStr,
        parameters: list(helmParameter),
        releaseName: optStr,
      })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    kustomize: z
      .object({ images: list(str) })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
  })
  .passthrough();

const syncPolicy = z
  .object({
    automated: z
      .object({
        enabled: optBool,
        prune: optBool,
        selfHeal: optBool,
        allowEmpty: optBool,
      })
      .passthrough()
      .nullish(),
    syncOptions: list(str),
  })
  .passthrough();

const spec = z
  .object({
    project: str,
    source: source.nullish().transform(v => v ?? undefined),
    sources: list(source),
    destination: z
      .object({ server: optStr, name: optStr, namespace: optStr })
      .passthrough(),
    syncPolicy: syncPolicy.nullish().transform(v => v ?? undefined),
    revisionHistoryLimit: z
      .number()
      .nullish()
      .transform(v => v ?? undefined),
  })
  .passthrough();

const initiatedBy = z
  .object({ username: optStr, automated: optBool })
  .passthrough()
  .nullish()
  .transform(v => v ?? undefined);

const info = z.object({ name: str, value: str }).passthrough();

const syncResource = z
  .object({ group: optStr, kind: str, name: str, namespace: optStr })
  .passthrough();

const operation = z
  .object({
    sync: z
      .object({
        revision: optStr,
        revisions: list(str),
        prune: optBool,
        dryRun: optBool,
        syncOptions: list(str),
        resources: list(syncResource),
        source: source.nullish().transform(v => v ?? undefined),
        sources: list(source),
      })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    initiatedBy,
    info: list(info),
  })
  .passthrough();

const health = z
  .object({ status: optStr, message: optStr, lastTransitionTime: optStr })
  .passthrough();
const optHealth = health.nullish().transform(v => v ?? undefined);

const resourceResult = z
  .object({
    group: optStr,
    version: optStr,
    kind: str,
    namespace: optStr,
    name: str,
    status: optStr,
    message: optStr,
    hookPhase: optStr,
    hookType: optStr,
    syncPhase: optStr,
    images: list(str),
  })
  .passthrough();

const operationState = z
  .object({
    operation: operation.nullish().transform(v => v ?? undefined),
    phase: z.enum(['Running', 'Terminating', 'Succeeded', 'Failed', 'Error']),
    message: optStr,
    syncResult: z
      .object({
        revision: optStr,
        revisions: list(str),
        resources: list(resourceResult),
        source: source.nullish().transform(v => v ?? undefined),
      })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    startedAt: optStr,
    finishedAt: optStr,
    retryCount: z
      .number()
      .nullish()
      .transform(v => v ?? undefined),
  })
  .passthrough();

const revisionHistory = z
  .object({
    id: int64,
    revision: optStr,
    revisions: list(str),
    deployedAt: optStr,
    deployStartedAt: optStr,
    source: source.nullish().transform(v => v ?? undefined),
    sources: list(source),
    initiatedBy,
  })
  .passthrough();

const resourceStatus = z
  .object({
    group: optStr,
    version: optStr,
    kind: str,
    namespace: optStr,
    name: str,
    status: optStr,
    health: optHealth,
    hook: optBool,
    requiresPruning: optBool,
  })
  .passthrough();

const status = z
  .object({
    sync: z
      .object({ status: optStr, revision: optStr, revisions: list(str) })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    health: optHealth,
    history: list(revisionHistory),
    operationState: operationState.nullish().transform(v => v ?? undefined),
    resources: list(resourceStatus),
    summary: z
      .object({ images: list(str), externalURLs: list(str) })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    conditions: list(
      z
        .object({ type: str, message: str, lastTransitionTime: optStr })
        .passthrough(),
    ),
    reconciledAt: optStr,
    sourceType: optStr,
    sourceTypes: list(str),
  })
  .passthrough();

/** `v1alpha1Application`. */
export const applicationSchema: Out<ArgoApplication> = z
  .object({
    apiVersion: optStr,
    kind: optStr,
    metadata: objectMeta,
    spec,
    status: status.nullish().transform(v => v ?? undefined),
    operation: operation.nullish().transform(v => v ?? undefined),
  })
  .passthrough();

/** `v1alpha1ApplicationList`. */
export const applicationListSchema: Out<ArgoApplicationList> = z
  .object({
    metadata: z
      .object({ resourceVersion: optStr })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    items: list(applicationSchema),
  })
  .passthrough();

/** `v1alpha1ApplicationSpec` (answer of `PUT …/spec`). */
export const applicationSpecSchema: Out<ArgoApplication['spec']> = spec;

const resourceDiff = z
  .object({
    group: optStr,
    kind: str,
    namespace: optStr,
    name: str,
    hook: optBool,
    modified: optBool,
    resourceVersion: optStr,
    liveState: optStr,
    targetState: optStr,
    normalizedLiveState: optStr,
    predictedLiveState: optStr,
    diff: optStr,
  })
  .passthrough();

/** `applicationManagedResourcesResponse`. */
export const managedResourcesSchema: Out<ArgoManagedResourcesResponse> = z
  .object({ items: list(resourceDiff) })
  .passthrough();

const ref = z
  .object({
    group: optStr,
    kind: str,
    namespace: optStr,
    name: str,
    uid: optStr,
  })
  .passthrough();

const resourceNode = z
  .object({
    group: optStr,
    version: optStr,
    kind: str,
    namespace: optStr,
    name: str,
    uid: optStr,
    parentRefs: list(ref),
    health: optHealth,
    info: list(info),
    images: list(str),
    resourceVersion: optStr,
    createdAt: optStr,
  })
  .passthrough();

/** `v1alpha1ApplicationTree`. */
export const resourceTreeSchema: Out<ArgoApplicationTree> = z
  .object({ nodes: list(resourceNode), orphanedNodes: list(resourceNode) })
  .passthrough();

/** `repositoryManifestResponse`. */
export const manifestsSchema: Out<ArgoManifestResponse> = z
  .object({
    manifests: list(str),
    namespace: optStr,
    server: optStr,
    revision: optStr,
    sourceType: optStr,
  })
  .passthrough();

/** `v1alpha1RevisionMetadata`. */
export const revisionMetadataSchema: Out<ArgoRevisionMetadata> = z
  .object({
    author: optStr,
    date: optStr,
    message: optStr,
    tags: list(str),
    references: list(z.unknown()),
  })
  .passthrough();

const syncWindow = z
  .object({
    kind: optStr,
    schedule: optStr,
    duration: optStr,
    manualSync: optBool,
  })
  .passthrough();

/** `applicationApplicationSyncWindowsResponse`. */
export const syncWindowsSchema: Out<ArgoSyncWindowsResponse> = z
  .object({
    assignedWindows: list(syncWindow),
    activeWindows: list(syncWindow),
    canSync: optBool,
  })
  .passthrough();

/** `sessionSessionResponse`. */
export const sessionSchema = z.object({ token: str.min(1) }).passthrough();

/** `versionVersionMessage` (anonymous callers may get only `Version`). */
export const versionSchema = z.object({ Version: str.min(1) }).passthrough();

/** Answer of writes whose body we do not read (`DELETE …/operation`). */
export const anySchema: Out<unknown> = z.unknown();

/**
 * Where a body first differs from the schema, e.g.
 * `items.0.metadata.name: Required`. Quotes no values of the body.
 */
export function describeMismatch(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'body';
  let what = 'unexpected value';
  if (issue.code === 'invalid_type') {
    what = `expected ${issue.expected}, got ${issue.received}`;
  } else if (issue.code === 'invalid_enum_value') {
    what = `not one of ${issue.options.join(', ')}`;
  }
  return `${where}: ${what}`;
}
