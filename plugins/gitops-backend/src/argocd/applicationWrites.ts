import { ArgoCdTransport } from './ArgoCdTransport';
import { AppScope } from './clientOptions';
import { anySchema, applicationSchema, applicationSpecSchema } from './schemas';
import {
  ApplicationRollbackRequest,
  ApplicationSyncRequest,
  ArgoApplication,
  ArgoApplicationSpec,
} from './types';
import { enc } from './urls';

/**
 * The application writes of `ArgoCdClient`, one function per Argo CD
 * endpoint over the transport (never retried; each invalidates the
 * instance's cached reads); the client's methods delegate here and carry the
 * documentation.
 */

/** `POST …/sync`. */
export async function sync(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  request: ApplicationSyncRequest,
): Promise<ArgoApplication> {
  return http.write(
    instance,
    'POST',
    `/api/v1/applications/${enc(name)}/sync`,
    applicationSchema,
    { body: { ...request, name } },
  );
}

/** `POST …/rollback` to a history id. */
export async function rollback(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  request: ApplicationRollbackRequest,
): Promise<ArgoApplication> {
  return http.write(
    instance,
    'POST',
    `/api/v1/applications/${enc(name)}/rollback`,
    applicationSchema,
    { body: { ...request, name, id: Number(request.id) } },
  );
}

/** `DELETE …/operation`. */
export async function terminateOperation(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  scope: AppScope,
): Promise<void> {
  await http.write(
    instance,
    'DELETE',
    `/api/v1/applications/${enc(name)}/operation`,
    anySchema,
    { query: scope },
  );
}

/** `PATCH /api/v1/applications/{name}`; `patch` is JSON text. */
export async function patchApplication(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  request: { patch: string; patchType: 'merge' | 'json' } & AppScope,
): Promise<ArgoApplication> {
  return http.write(
    instance,
    'PATCH',
    `/api/v1/applications/${enc(name)}`,
    applicationSchema,
    { body: { ...request, name } },
  );
}

/** `PUT …/spec`: replaces the whole spec. */
export async function updateSpec(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  spec: ArgoApplicationSpec,
  options: AppScope & { validate?: boolean },
): Promise<ArgoApplicationSpec> {
  return http.write(
    instance,
    'PUT',
    `/api/v1/applications/${enc(name)}/spec`,
    applicationSpecSchema,
    { body: spec, query: options },
  );
}
