import { z } from 'zod';
import {
  ArgoApplicationTree,
  ArgoManagedResourcesResponse,
  ArgoManifestResponse,
  ArgoRevisionMetadata,
  ArgoSyncWindowsResponse,
} from './types';
import {
  Out,
  str,
  optStr,
  optBool,
  list,
  optHealth,
  info,
} from './schemaParts';

/**
 * zod schemas of the Argo CD answers we read, for the fields we use (see
 * Argo CD's OpenAPI document: `v1alpha1Application`, …). Whatever Argo CD
 * (or a proxy in front of it) sends is checked here before any other code
 * reads it. Objects keep their unknown fields (`passthrough`). The
 * Application's schemas are in `./applicationSchemas` (re-exported here),
 * the building blocks and `describeMismatch` in `./schemaParts`.
 */

export * from './applicationSchemas';
export { describeMismatch } from './schemaParts';

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
