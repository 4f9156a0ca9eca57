import { z } from 'zod';

/**
 * Building blocks of the zod schemas of Argo CD's answers (`./schemas`,
 * `./applicationSchemas`): grpc-gateway omits empty fields and sometimes
 * sends `null` for empty lists; both become `undefined`. And
 * {@link describeMismatch}, the short reason a body did not fit.
 */

export type Out<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

export const str = z.string();
export const optStr = z
  .string()
  .nullish()
  .transform(v => v ?? undefined);
export const optBool = z
  .boolean()
  .nullish()
  .transform(v => v ?? undefined);
/** int64 fields: numbers in JSON, but grpc-gateway may send strings. */
export const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]);
export const list = <T extends z.ZodTypeAny>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform(v => v ?? undefined);
export const strMap = z
  .record(z.string())
  .nullish()
  .transform(v => v ?? undefined);

/** `v1alpha1HealthStatus`, optional. */
const health = z
  .object({ status: optStr, message: optStr, lastTransitionTime: optStr })
  .passthrough();
export const optHealth = health.nullish().transform(v => v ?? undefined);

/** `v1alpha1InfoItem`. */
export const info = z.object({ name: str, value: str }).passthrough();

/**
 * Where a body first differs from the schema, e.g.
 * `items.0.metadata.name: Required`. Quotes no values of the body.
 */
export function describeMismatch(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'body';
  let what = 'unexpected value';
  if (issue.code === 'invalid_type') {
    what = `expected ${issue.expected}, got ${issue.received}`;
  } else if (issue.code === 'invalid_enum_value') {
    what = `not one of ${issue.options.join(', ')}`;
  }
  return `${where}: ${what}`;
}
