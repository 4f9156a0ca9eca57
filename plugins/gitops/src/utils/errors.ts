import { ResponseError } from '@backstage/errors';

/** The server's sentence for a failed request (not just "Request failed with 403"). */
export function errorMessage(e: unknown): string {
  if (e instanceof ResponseError) {
    return e.body?.error?.message ?? e.cause?.message ?? e.message;
  }
  if (e && typeof e === 'object' && 'message' in e)
    return String((e as Error).message);
  return String(e);
}
