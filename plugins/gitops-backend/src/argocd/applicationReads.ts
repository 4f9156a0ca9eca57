import { z } from 'zod';
import { ArgoCdTransport } from './ArgoCdTransport';
import { AppScope, ReadOptions } from './clientOptions';
import {
  applicationListSchema,
  applicationSchema,
  managedResourcesSchema,
  manifestsSchema,
  resourceTreeSchema,
  revisionMetadataSchema,
  syncWindowsSchema,
  versionSchema,
} from './schemas';
import {
  ArgoApplication,
  ArgoApplicationList,
  ArgoApplicationTree,
  ArgoManagedResourcesResponse,
  ArgoManifestResponse,
  ArgoRevisionMetadata,
  ArgoSyncWindowsResponse,
} from './types';
import {
  ArgoEventList,
  ResourceEventsQuery,
  eventListSchema,
} from './troubleshootingCalls';
import { enc } from './urls';

/**
 * The application reads of `ArgoCdClient` (and the server's version), one
 * function per Argo CD endpoint over the transport; the client's methods
 * delegate here and carry the documentation.
 */

/** Minimum TTL of cached sync-window (project configuration) reads. */
export const SYNC_WINDOWS_TTL_MS = 60_000;

/** A GET; `options.cached` serves it from the read cache. */
function read<T>(
  http: ArgoCdTransport,
  instance: string,
  path: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  options: { cached?: boolean },
  ttlMs?: number,
): Promise<T> {
  const { cached, ...query } = options;
  return http.get(instance, path, schema, query, cached, ttlMs);
}

/** `GET /api/v1/applications/{name}`; `refresh` is never cached. */
export async function getApplication(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions & { refresh?: 'normal' | 'hard' },
): Promise<ArgoApplication> {
  const { refresh, cached, ...scope } = options;
  const app = await http.get(
    instance,
    `/api/v1/applications/${enc(name)}`,
    applicationSchema,
    { ...scope, refresh },
    cached && !refresh,
  );
  if (refresh) http.invalidate(instance);
  return app;
}

/** `GET /api/v1/applications` with label selector and projects. */
export async function listApplications(
  http: ArgoCdTransport,
  instance: string,
  options: {
    selector?: string;
    projects?: string[];
    appNamespace?: string;
    name?: string;
    cached?: boolean;
  },
): Promise<ArgoApplication[]> {
  const { cached, ...query } = options;
  const list: ArgoApplicationList = await http.get(
    instance,
    '/api/v1/applications',
    applicationListSchema,
    query,
    cached,
  );
  return list.items ?? [];
}

/** `GET …/managed-resources`. */
export async function getManagedResources(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions,
): Promise<ArgoManagedResourcesResponse> {
  return read(
    http,
    instance,
    `/api/v1/applications/${enc(name)}/managed-resources`,
    managedResourcesSchema,
    options,
  );
}

/** `GET …/resource-tree`. */
export async function getResourceTree(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions,
): Promise<ArgoApplicationTree> {
  return read(
    http,
    instance,
    `/api/v1/applications/${enc(name)}/resource-tree`,
    resourceTreeSchema,
    options,
  );
}

/** `GET …/manifests?revision=`. */
export async function getManifests(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions & { revision?: string },
): Promise<ArgoManifestResponse> {
  return read(
    http,
    instance,
    `/api/v1/applications/${enc(name)}/manifests`,
    manifestsSchema,
    options,
  );
}

/** `GET …/revisions/{sha}/metadata`, cached for 30 days (commits never change). */
export async function getRevisionMetadata(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  revision: string,
  options: AppScope & { sourceIndex?: number; versionId?: number },
): Promise<ArgoRevisionMetadata> {
  const path = `/api/v1/applications/${enc(name)}/revisions/${enc(
    revision,
  )}/metadata`;
  return http.getImmutable(
    instance,
    `rev:${name}:${revision}:${options.sourceIndex ?? ''}`,
    path,
    revisionMetadataSchema,
    options,
    30 * 24 * 3600_000,
  );
}

/** `GET …/syncwindows`; cached reads live at least {@link SYNC_WINDOWS_TTL_MS}. */
export async function getSyncWindows(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions,
): Promise<ArgoSyncWindowsResponse> {
  return read(
    http,
    instance,
    `/api/v1/applications/${enc(name)}/syncwindows`,
    syncWindowsSchema,
    options,
    Math.max(SYNC_WINDOWS_TTL_MS, http.defaultTtlMs),
  );
}

/** `GET …/events`: Kubernetes events of the application, or of one resource. */
export async function getResourceEvents(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: ReadOptions & ResourceEventsQuery,
): Promise<ArgoEventList> {
  return read(
    http,
    instance,
    `/api/v1/applications/${enc(name)}/events`,
    eventListSchema,
    options,
  );
}

/** `GET /api/version`: the server's version. Not cached. */
export async function getVersion(
  http: ArgoCdTransport,
  instance: string,
): Promise<string> {
  const v = await http.get(instance, '/api/version', versionSchema, {}, false);
  return v.Version;
}
