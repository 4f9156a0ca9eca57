import { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { applicationSchema, describeMismatch } from './schemas';
import { ArgoApplication } from './types';

/**
 * Argo CD's application watch: `GET /api/v1/stream/applications`, one JSON
 * message per line, `{"result": {"type": "ADDED|MODIFIED|DELETED",
 * "application": …}}` or `{"error": {…}}` (`runtimeStreamError`).
 *
 * Query parameters as Argo CD's API document defines them for the watch
 * (`ApplicationService_Watch`): `name`, `projects` (repeated), `selector`,
 * `repo`, `appNamespace`, `resourceVersion`; plus the server's `fields`
 * projection (comma-separated paths of the stream message, e.g.
 * `result.application.metadata.name`; a leading `-` excludes them instead),
 * which Argo CD's own UI uses on this stream.
 *
 * How Argo CD serves it (server/application Watch): without `resourceVersion`
 * (or with `name`) every matching application first comes as ADDED; with
 * `resourceVersion` only changes from then on, and none whose application's
 * resourceVersion is lower. Nothing missed while disconnected is replayed, so
 * a client that resumes must also re-list (see `mirror/`).
 */

/** Query of `GET /api/v1/stream/applications` (and of the list). @public */
export interface ApplicationWatchQuery {
  name?: string;
  projects?: string[];
  selector?: string;
  repo?: string;
  appNamespace?: string;
  resourceVersion?: string;
  /** Paths to keep (or, with `exclude`, to drop) of each message. */
  fields?: string[];
  exclude?: boolean;
}

/** One line of the stream, parsed and validated. @public */
export type ApplicationStreamLine =
  | {
      kind: 'event';
      type: 'ADDED' | 'MODIFIED' | 'DELETED';
      application: ArgoApplication;
    }
  | { kind: 'error'; message: string; httpCode?: number; grpcCode?: number }
  /** Not JSON or not the documented shape; `reason` never quotes the line. */
  | { kind: 'malformed'; reason: string }
  /** Blank line, SSE comment or SSE field other than `data`. */
  | { kind: 'skip' };

/** Longest line accepted (an application object is typically a few KB). */
export const MAX_STREAM_LINE_BYTES = 4 * 1024 * 1024;

const eventType = z.enum(['ADDED', 'MODIFIED', 'DELETED']);

/** A DELETED event may carry only the object's metadata. */
const deletedApplication = z
  .object({
    metadata: z
      .object({
        name: z.string().min(1),
        namespace: z.string().nullish(),
        resourceVersion: z.string().nullish(),
      })
      .passthrough(),
  })
  .passthrough();

const streamError = z
  .object({
    message: z.string().nullish(),
    http_code: z.number().nullish(),
    grpc_code: z.number().nullish(),
  })
  .passthrough();

/** Query string (`?…`) of a watch or list call, keys in a fixed order. @public */
export function applicationWatchQueryString(q: ApplicationWatchQuery): string {
  const p = new URLSearchParams();
  if (q.appNamespace) p.set('appNamespace', q.appNamespace);
  if (q.fields?.length) {
    p.set('fields', `${q.exclude ? '-' : ''}${q.fields.join(',')}`);
  }
  if (q.name) p.set('name', q.name);
  for (const project of q.projects ?? []) p.append('projects', project);
  if (q.repo) p.set('repo', q.repo);
  if (q.resourceVersion) p.set('resourceVersion', q.resourceVersion);
  if (q.selector) p.set('selector', q.selector);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * Parses one line. Accepts newline-delimited JSON and server-sent events
 * (`data: {…}`, as Argo CD answers `Accept: text/event-stream`). Pure.
 */
export function parseApplicationStreamLine(raw: string): ApplicationStreamLine {
  let line = raw.trim();
  if (line === '' || line.startsWith(':')) return { kind: 'skip' };
  if (line.startsWith('data:')) line = line.slice(5).trim();
  else if (/^(event|id|retry):/.test(line)) return { kind: 'skip' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { kind: 'malformed', reason: 'not a JSON object' };
  }
  const msg = json as { result?: unknown; error?: unknown };
  if (msg.error !== undefined && msg.error !== null) {
    const e = streamError.safeParse(msg.error);
    if (!e.success) {
      return {
        kind: 'malformed',
        reason: `error message of an unexpected shape (${describeMismatch(
          e.error,
        )})`,
      };
    }
    return {
      kind: 'error',
      message: e.data.message ?? 'unknown stream error',
      httpCode: e.data.http_code ?? undefined,
      grpcCode: e.data.grpc_code ?? undefined,
    };
  }
  if (!msg.result || typeof msg.result !== 'object') {
    return { kind: 'malformed', reason: 'neither result nor error' };
  }
  const result = msg.result as { type?: unknown; application?: unknown };
  const type = eventType.safeParse(result.type);
  if (!type.success) {
    return {
      kind: 'malformed',
      reason: 'result.type is not ADDED, MODIFIED or DELETED',
    };
  }
  if (type.data === 'DELETED') {
    const full = applicationSchema.safeParse(result.application);
    if (full.success) {
      return { kind: 'event', type: type.data, application: full.data };
    }
    const meta = deletedApplication.safeParse(result.application);
    if (!meta.success) {
      return {
        kind: 'malformed',
        reason: `result.application of a DELETED event: ${describeMismatch(
          meta.error,
        )}`,
      };
    }
    const m = meta.data.metadata;
    return {
      kind: 'event',
      type: 'DELETED',
      application: {
        metadata: {
          name: m.name,
          namespace: m.namespace ?? undefined,
          resourceVersion: m.resourceVersion ?? undefined,
        },
        spec: { destination: {} },
      } as ArgoApplication,
    };
  }
  const app = applicationSchema.safeParse(result.application);
  if (!app.success) {
    return {
      kind: 'malformed',
      reason: `result.application: ${describeMismatch(app.error)}`,
    };
  }
  return { kind: 'event', type: type.data, application: app.data };
}

/**
 * Splits a byte stream into lines (UTF-8, `\n` or `\r\n`). A line longer
 * than `maxBytes` is dropped whole and reported as `undefined`.
 */
export async function* streamLines(
  body: ReadableStream<Uint8Array>,
  maxBytes = MAX_STREAM_LINE_BYTES,
  signal?: AbortSignal,
): AsyncGenerator<string | undefined> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  // Not every fetch implementation ends a body read when its signal aborts.
  const onAbort = () => {
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  let buf = '';
  let overlong = false;
  try {
    if (signal?.aborted) return;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let nl = buf.indexOf('\n');
      while (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (overlong) {
          overlong = false;
          yield undefined;
        } else {
          yield line;
        }
        nl = buf.indexOf('\n');
      }
      if (buf.length > maxBytes) {
        overlong = true;
        buf = '';
      }
    }
    buf += decoder.decode();
    if (overlong) yield undefined;
    else if (buf.trim()) yield buf;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Not awaited: some bodies settle their cancel only when the peer closes.
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Opens the stream: resolves with the body once the headers have arrived; errors map like every other call. @public */
export type ApplicationStreamOpener = (
  instance: string,
  queryString: string,
  signal: AbortSignal,
) => Promise<ReadableStream<Uint8Array>>;

/**
 * A watch on one Argo CD instance: yields events and stream errors;
 * malformed lines are counted and logged (reason only, never the line) and
 * never end the stream.
 *
 * @public
 */
export class ApplicationStream {
  readonly #instance: string;
  readonly #open: ApplicationStreamOpener;
  readonly #logger?: LoggerService;
  #malformed = 0;

  constructor(options: {
    instance: string;
    open: ApplicationStreamOpener;
    logger?: LoggerService;
  }) {
    this.#instance = options.instance;
    this.#open = options.open;
    this.#logger = options.logger;
  }

  /** Malformed lines seen so far (all watches of this object). */
  get malformedLines(): number {
    return this.#malformed;
  }

  /**
   * Opens the watch. Rejects when the stream cannot be opened (the
   * client's error classes); the generator ends when the server closes the
   * stream or `signal` aborts.
   */
  async open(
    query: ApplicationWatchQuery,
    signal: AbortSignal,
  ): Promise<
    AsyncGenerator<
      Exclude<ApplicationStreamLine, { kind: 'malformed' | 'skip' }>
    >
  > {
    const body = await this.#open(
      this.#instance,
      applicationWatchQueryString(query),
      signal,
    );
    return this.#events(body, signal);
  }

  async *#events(
    body: ReadableStream<Uint8Array>,
    signal: AbortSignal,
  ): AsyncGenerator<
    Exclude<ApplicationStreamLine, { kind: 'malformed' | 'skip' }>
  > {
    for await (const raw of streamLines(body, MAX_STREAM_LINE_BYTES, signal)) {
      const line =
        raw === undefined
          ? ({ kind: 'malformed', reason: 'line too long' } as const)
          : parseApplicationStreamLine(raw);
      if (line.kind === 'skip') continue;
      if (line.kind === 'malformed') {
        this.#malformed += 1;
        this.#logger?.warn(
          `Argo CD instance '${
            this.#instance
          }' sent a malformed application stream line (${
            line.reason
          }); skipped (${this.#malformed} so far)`,
        );
        continue;
      }
      yield line;
    }
  }
}
