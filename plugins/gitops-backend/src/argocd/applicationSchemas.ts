import { z } from 'zod';
import { ArgoApplication, ArgoApplicationList } from './applicationTypes';
import {
  Out,
  str,
  optStr,
  optBool,
  int64,
  list,
  strMap,
  optHealth,
  info,
} from './schemaParts';

/**
 * zod schema of the Argo CD Application (`v1alpha1Application`, its list and
 * its spec), for the fields we use. Objects keep their unknown fields
 * (`passthrough`): a spec read here may be written back whole (`PUT …/spec`).
 */

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
