import { ServiceUnavailableError } from '@backstage/errors';
import { streamDispatcher } from './streamDispatcher';
import { z } from 'zod';
import {
  argoErrorFromResponse,
  argoTimeout,
  argoUnreachable,
  redactSecrets,
  withArgoCdInfo,
} from './errors';

/**
 * Argo CD calls of the troubleshooting view that the generic client does not
 * cover: the events list (`eventsEventList`) and the pod log stream
 * (`GET /api/v1/applications/{name}/logs`, newline-delimited
 * `{"result": applicationLogEntry}` / `{"error": runtimeStreamError}`).
 * Used by {@link ArgoCdClient}; schemas follow `./schemas.ts`.
 */

type Out<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

const optStr = z
  .string()
  .nullish()
  .transform(v => v ?? undefined);
const int = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .nullish()
  .transform(v => (v === undefined || v === null ? undefined : Number(v)));

/** `eventsEvent`, the fields we read. @public */
export interface ArgoEvent {
  metadata?: { name?: string; namespace?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: {
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
  };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

/** `eventsEventList`. @public */
export interface ArgoEventList {
  items?: ArgoEvent[];
}

const eventSchema = z
  .object({
    metadata: z
      .object({ name: optStr, namespace: optStr, uid: optStr })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    type: optStr,
    reason: optStr,
    message: optStr,
    count: int,
    firstTimestamp: optStr,
    lastTimestamp: optStr,
    eventTime: optStr,
    involvedObject: z
      .object({ kind: optStr, name: optStr, namespace: optStr, uid: optStr })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    source: z
      .object({ component: optStr, host: optStr })
      .passthrough()
      .nullish()
      .transform(v => v ?? undefined),
    reportingComponent: optStr,
  })
  .passthrough();

/** `eventsEventList`. */
export const eventListSchema: Out<ArgoEventList> = z
  .object({
    items: z
      .array(eventSchema)
      .nullish()
      .transform(v => v ?? undefined),
  })
  .passthrough();

/** Query of `GET …/events` (all optional: without them, the app's own events). @public */
export interface ResourceEventsQuery {
  resourceName?: string;
  resourceNamespace?: string;
  resourceUID?: string;
}

/** Query of `GET …/logs`. @public */
export interface PodLogsQuery {
  podName: string;
  namespace?: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  follow?: boolean;
  appNamespace?: string;
  project?: string;
}

/** One parsed line of Argo CD's log stream. @public */
export type ArgoLogLine =
  | {
      kind: 'entry';
      content: string;
      podName?: string;
      timeStamp?: string;
      last: boolean;
    }
  | { kind: 'error'; message: string; httpCode?: number };

const logLineSchema = z.union([
  z.object({
    result: z
      .object({
        content: optStr,
        podName: optStr,
        timeStamp: optStr,
        timeStampStr: optStr,
        last: z
          .boolean()
          .nullish()
          .transform(v => v ?? false),
      })
      .passthrough(),
  }),
  z.object({
    error: z
      .object({ message: optStr, http_code: int, grpc_code: int })
      .passthrough(),
  }),
]);

/**
 * Parses one line of the log stream; a line that is not the documented
 * shape throws (quoting nothing of it).
 */
export function parseLogLine(line: string): ArgoLogLine {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw withArgoCdInfo(
      new ServiceUnavailableError(
        'Argo CD sent a log stream line that is not JSON',
      ),
      { code: 'invalid-response', transient: true },
    );
  }
  const parsed = logLineSchema.safeParse(json);
  if (!parsed.success) {
    throw withArgoCdInfo(
      new ServiceUnavailableError(
        'Argo CD sent a log stream line that is neither a result nor an error',
      ),
      { code: 'invalid-response', transient: true },
    );
  }
  const v = parsed.data;
  if ('result' in v) {
    return {
      kind: 'entry',
      content: v.result.content ?? '',
      podName: v.result.podName,
      timeStamp: v.result.timeStamp ?? v.result.timeStampStr,
      last: v.result.last,
    };
  }
  return {
    kind: 'error',
    message: v.error.message ?? 'unknown error',
    httpCode: v.error.http_code,
  };
}

/** What {@link openLogStream} needs from the client (its private plumbing). */
export interface StreamPlumbing {
  instance: string;
  url: string;
  timeoutMs: number;
  /** A bearer token; `stale` asks for a renewed one (username/password sessions). */
  token: (stale?: string) => Promise<string>;
  /** Whether a 401 may be retried with a renewed session. */
  renewable: boolean;
  fetch: typeof fetch;
  count: () => void;
  secrets: string[];
}

/**
 * Opens `GET …/logs` and returns its body once the headers have arrived
 * (within the instance timeout). The body is read by the caller until
 * `signal` aborts it; errors map like every other call (403 → NotAllowedError, …).
 */
export async function openLogStream(
  p: StreamPlumbing,
  path: string,
  queryString: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const operation = `GET ${path}`;
  let stale: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await p.token(stale);
    const headersDue = new AbortController();
    const timer = setTimeout(() => headersDue.abort(), p.timeoutMs);
    p.count();
    let res: Response;
    try {
      res = await p.fetch(`${p.url}${path}${queryString}`, {
        method: 'GET',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
        },
        signal: AbortSignal.any([signal, headersDue.signal]),
        // no body timeout: a quiet stream is not a dead one (streamDispatcher.ts)
        dispatcher: streamDispatcher(),
      } as RequestInit);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (headersDue.signal.aborted) {
        throw argoTimeout(p.instance, operation, p.timeoutMs);
      }
      if (signal.aborted) throw err;
      throw argoUnreachable(
        redactSecrets(
          `Argo CD instance '${p.instance}' is unreachable (${operation}): ${
            err.cause?.code ?? err.message
          }`,
          p.secrets,
        ),
      );
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 401 && p.renewable && attempt === 0) {
      await res.arrayBuffer().catch(() => undefined);
      stale = token;
      continue;
    }
    if (!res.ok || !res.body) {
      const text = await res.text().catch(() => '');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      throw argoErrorFromResponse(
        p.instance,
        operation,
        res.status,
        body,
        p.secrets,
      );
    }
    return res.body;
  }
  throw withArgoCdInfo(
    new ServiceUnavailableError(
      `Argo CD instance '${p.instance}' refused the session for ${operation}`,
    ),
    { code: 'unauthenticated', status: 401, transient: true },
  );
}
