import { ArgoCdTransport } from './ArgoCdTransport';
import { ApplicationWatchQuery } from './ApplicationStream';
import { applicationListSchema } from './schemas';
import { ArgoApplication, ArgoApplicationList } from './types';
import { PodLogsQuery, openLogStream } from './troubleshootingCalls';
import { buildQuery, enc } from './urls';

/**
 * The streaming calls of `ArgoCdClient` over the transport: the application
 * list a watch starts from, the application watch and the pod logs (never
 * retried, cached or coalesced); the client's methods delegate here and
 * carry the documentation.
 */

/** `GET /api/v1/applications` with the list's `metadata.resourceVersion`. Not cached. */
export async function listApplicationsWithVersion(
  http: ArgoCdTransport,
  instance: string,
  query: ApplicationWatchQuery,
): Promise<{ resourceVersion?: string; items: ArgoApplication[] }> {
  const { fields, exclude, resourceVersion: _rv, ...filters } = query;
  const list: ArgoApplicationList = await http.get(
    instance,
    '/api/v1/applications',
    applicationListSchema,
    {
      ...filters,
      fields: fields?.length
        ? `${exclude ? '-' : ''}${fields.join(',')}`
        : undefined,
    },
    false,
  );
  return {
    resourceVersion: list.metadata?.resourceVersion,
    items: list.items ?? [],
  };
}

/** `GET /api/v1/stream/applications`: the open watch. */
export async function openApplicationStream(
  http: ArgoCdTransport,
  instance: string,
  queryString: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  return openLogStream(
    http.streamPlumbing(instance),
    '/api/v1/stream/applications',
    queryString,
    signal,
  );
}

/** `GET …/logs`: the open log stream (newline-delimited JSON). */
export async function openPodLogs(
  http: ArgoCdTransport,
  instance: string,
  name: string,
  query: PodLogsQuery,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  return openLogStream(
    http.streamPlumbing(instance),
    `/api/v1/applications/${enc(name)}/logs`,
    buildQuery({ ...query }),
    signal,
  );
}
