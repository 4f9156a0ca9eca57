import { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { ArgoCdInstanceConfig } from './config';
import {
  argoTimeout,
  argoUnexpectedBody,
  argoUnreachable,
  redactSecrets,
} from './errors';
import { describeMismatch } from './schemas';

/**
 * One HTTP exchange with an Argo CD instance, below the retry and session
 * logic of {@link ArgoCdTransport}: send within the call budget (timeouts
 * and network errors mapped), read and parse the answer with its schema,
 * log upstream bodies (debug only, shortened, secrets removed), wait
 * before a retry.
 */

type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

/** What an exchange needs from the transport. */
export interface ExchangeContext {
  fetch: typeof fetch;
  /** Credentials to redact; session tokens are added as they are created. */
  secrets: string[];
  logger?: LoggerService;
  /** Counts one HTTP request to the instance. */
  count: (instance: string) => void;
}

/** What parseJson returns for a text that is not JSON. */
export const NOT_JSON = Symbol('not JSON');

/** Sends one request; throws a timeout or unreachable error. */
export async function send(
  ctx: ExchangeContext,
  cfg: ArgoCdInstanceConfig,
  method: string,
  pathAndQuery: string,
  deadline: number,
  init: { body?: unknown; token?: string },
): Promise<Response> {
  const remaining = deadline - Date.now();
  const operation = `${method} ${pathAndQuery.split('?')[0]}`;
  if (remaining <= 0) {
    throw argoTimeout(cfg.name, operation, cfg.timeoutMs);
  }
  ctx.count(cfg.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await ctx.fetch(`${cfg.url}${pathAndQuery}`, {
      method,
      headers,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: AbortSignal.timeout(remaining),
    });
  } catch (e) {
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw argoTimeout(cfg.name, operation, cfg.timeoutMs);
    }
    const cause = (err as { cause?: { code?: string; message?: string } })
      .cause;
    const reason = cause?.code ?? cause?.message ?? err.message;
    throw argoUnreachable(
      redactSecrets(
        `Argo CD instance '${cfg.name}' is unreachable (${operation}): ${reason}`,
        ctx.secrets,
      ),
    );
  }
}

/** Parses a 2xx body with its schema; not JSON or the wrong shape throws. */
export function parseBody<T>(
  ctx: ExchangeContext,
  instance: string,
  operation: string,
  status: number,
  text: string,
  schema: Schema<T>,
): T {
  const json = text.trim() === '' ? {} : parseJson(text);
  if (json === NOT_JSON) {
    logBody(ctx, instance, operation, status, text);
    throw argoUnexpectedBody(
      instance,
      operation,
      status,
      'a body that is not JSON',
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    logBody(ctx, instance, operation, status, text);
    throw argoUnexpectedBody(
      instance,
      operation,
      status,
      `an unexpected body (${describeMismatch(parsed.error)})`,
    );
  }
  return parsed.data;
}

/** Upstream bodies go to the debug log only, shortened, secrets removed. */
export function logBody(
  ctx: ExchangeContext,
  instance: string,
  operation: string,
  status: number,
  text: string,
) {
  ctx.logger?.debug(
    redactSecrets(
      `Argo CD instance '${instance}' answered ${status} to ${operation}: ${text.slice(
        0,
        2000,
      )}`,
      ctx.secrets,
    ),
  );
}

/** Waits before a retry; false when no retry fits the budget. */
export async function backoff(
  attempt: number,
  deadline: number,
): Promise<boolean> {
  if (attempt >= 2) return false;
  const delay = 100 * 2 ** attempt + Math.floor(Math.random() * 50);
  if (Date.now() + delay + 50 >= deadline) return false;
  await new Promise(r => setTimeout(r, delay));
  return true;
}

/** The body's text; '' when it cannot be read. */
export async function readText(res: Response): Promise<string> {
  try {
    return await res.text();
  } catch {
    return '';
  }
}

/** The parsed JSON, or {@link NOT_JSON}. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
