import { LogStreamLine } from '@internal/plugin-gitops-common';
import { argoMessage } from '../argocd/errors';
import { parseLogLine } from '../argocd/troubleshootingCalls';

/** Bounds of one log request. @public */
export interface LogLimits {
  /** `tailLines` when the caller gives none. */
  defaultTailLines: number;
  /** Largest accepted `tailLines`. */
  maxTailLines: number;
  /** Largest accepted `sinceSeconds`. */
  maxSinceSeconds: number;
  /** Bytes of log content sent per request; the stream ends (`limit`) beyond. */
  maxBytes: number;
  /** How long one request may stream (follow included); it ends (`timeout`) after. */
  maxDurationMs: number;
}

/** @public */
export const DEFAULT_LOG_LIMITS: LogLimits = {
  defaultTailLines: 500,
  maxTailLines: 5000,
  maxSinceSeconds: 7 * 24 * 3600,
  maxBytes: 2 * 1024 * 1024,
  maxDurationMs: 5 * 60_000,
};

/**
 * Reads Argo CD's newline-delimited log stream and hands each entry on as a
 * {@link LogStreamLine}, within the size and time bounds; always ends with
 * one `end` (or `error`) line. Stops reading (and aborts upstream) when the
 * bound is hit or `signal` (the browser went away) aborts.
 */
export async function pumpLogs(options: {
  body: ReadableStream<Uint8Array>;
  write: (line: LogStreamLine) => void;
  limits: Pick<LogLimits, 'maxBytes' | 'maxDurationMs'>;
  /** Aborts the upstream request. */
  abort: () => void;
  signal?: AbortSignal;
}): Promise<LogStreamLine> {
  const { body, write, limits, abort, signal } = options;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let bytes = 0;
  let end: LogStreamLine | undefined;
  const timer = setTimeout(() => {
    end ??= {
      type: 'end',
      reason: 'timeout',
      message: `log stream stopped after ${Math.round(
        limits.maxDurationMs / 1000,
      )} s (the limit per request)`,
    };
    reader.cancel().catch(() => undefined);
  }, limits.maxDurationMs);
  const onAbort = () => {
    end ??= { type: 'end', reason: 'done', message: 'client went away' };
    reader.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);

  const handle = (raw: string) => {
    if (end || raw.trim() === '') return;
    let line;
    try {
      line = parseLogLine(raw);
    } catch (e) {
      end = { type: 'error', message: (e as Error).message };
      return;
    }
    if (line.kind === 'error') {
      end = {
        type: 'error',
        message: `Argo CD ended the log stream: ${
          argoMessage({ message: line.message }) ?? 'unknown error'
        }`,
      };
      return;
    }
    if (line.last) {
      end = { type: 'end', reason: 'done' };
      return;
    }
    const size = Buffer.byteLength(line.content, 'utf8');
    if (bytes + size > limits.maxBytes) {
      end = {
        type: 'end',
        reason: 'limit',
        message: `log stream stopped at ${limits.maxBytes} bytes (the limit per request); narrow it with tail lines or since`,
      };
      return;
    }
    bytes += size;
    write({
      type: 'log',
      podName: line.podName ?? '',
      content: line.content,
      ...(line.timeStamp ? { timeStamp: line.timeStamp } : {}),
    });
  };

  try {
    while (!end) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        break; // cancelled (timeout / client gone) or upstream closed abruptly
      }
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let nl = buffer.indexOf('\n');
      while (nl >= 0 && !end) {
        handle(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
      }
    }
    if (!end) handle(buffer);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  const last: LogStreamLine = end ?? { type: 'end', reason: 'done' };
  if (last.type !== 'end' || last.reason !== 'done') abort();
  reader.cancel().catch(() => undefined);
  write(last);
  return last;
}
