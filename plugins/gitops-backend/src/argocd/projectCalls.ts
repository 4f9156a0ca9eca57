import { z } from 'zod';
import { ArgoCdTransport } from './ArgoCdTransport';
import { SYNC_WINDOWS_TTL_MS } from './applicationReads';
import { enc } from './urls';

/**
 * The AppProject read (`GET /api/v1/projects/{name}` → `v1alpha1AppProject`)
 * for the project's sync windows: the only Argo CD answer that names each
 * window's `timeZone` (the application's `…/syncwindows` answer does not).
 * Schema in the style of `./schemas.ts`.
 */

type Out<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

const optStr = z
  .string()
  .nullish()
  .transform(v => v ?? undefined);
const optBool = z
  .boolean()
  .nullish()
  .transform(v => v ?? undefined);
const optStrList = z
  .array(z.string())
  .nullish()
  .transform(v => v ?? undefined);

/** `v1alpha1SyncWindow`, the fields we read. @public */
export interface ArgoProjectSyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  timeZone?: string;
  manualSync?: boolean;
  description?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  /** All of applications / namespaces / clusters must match (else any one). */
  andOperator?: boolean;
}

/** `v1alpha1AppProject`, the fields we read. @public */
export interface ArgoAppProject {
  metadata: { name: string; namespace?: string };
  spec?: { syncWindows?: ArgoProjectSyncWindow[] };
}

const syncWindow = z
  .object({
    kind: optStr,
    schedule: optStr,
    duration: optStr,
    timeZone: optStr,
    manualSync: optBool,
    description: optStr,
    applications: optStrList,
    namespaces: optStrList,
    clusters: optStrList,
    andOperator: optBool,
  })
  .passthrough();

/** `v1alpha1AppProject`. */
export const appProjectSchema: Out<ArgoAppProject> = z
  .object({
    metadata: z
      .object({ name: z.string().min(1), namespace: optStr })
      .passthrough(),
    spec: z
      .object({
        syncWindows: z
          .array(syncWindow)
          .nullish()
          .transform(v => v ?? undefined),
      })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
  })
  .passthrough();

/** `v1alpha1AppProjectList`. */
export const appProjectListSchema: Out<{ items: ArgoAppProject[] }> = z
  .object({
    items: z
      .array(appProjectSchema)
      .nullish()
      .transform(v => v ?? []),
  })
  .passthrough();

/** `GET /api/v1/projects/{name}`, cached like the sync windows (`ArgoCdClient.getProject`). */
export async function getProject(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  options: { cached?: boolean },
): Promise<ArgoAppProject> {
  return http.get(
    instance,
    `/api/v1/projects/${enc(name)}`,
    appProjectSchema,
    {},
    options.cached,
    Math.max(SYNC_WINDOWS_TTL_MS, http.defaultTtlMs),
  );
}

/** `GET /api/v1/projects`, not cached (`ArgoCdClient.listProjects`). */
export async function listProjects(
  http: ArgoCdTransport,
  instance: string,
): Promise<ArgoAppProject[]> {
  const list = await http.get(
    instance,
    '/api/v1/projects',
    appProjectListSchema,
    {},
    false,
  );
  return list.items;
}
