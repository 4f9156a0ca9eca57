/**
 * Type checks of request bodies (grpc-gateway rejects wrongly typed fields with
 * 400 / InvalidArgument; unknown fields are discarded). Messages name the field.
 */
import { z } from 'zod';
import { argoErrors } from '../logic/errors';

const int64 = z.union([
  z.number().int(),
  z.string().regex(/^-?\d+$/, 'must be an integer'),
]);
const resource = z
  .object({
    group: z.string().optional(),
    kind: z.string(),
    name: z.string(),
    namespace: z.string().optional(),
  })
  .passthrough();
const info = z.object({ name: z.string(), value: z.string() }).passthrough();
const strategy = z
  .object({
    apply: z.object({ force: z.boolean().optional() }).passthrough().optional(),
    hook: z
      .object({
        force: z.boolean().optional(),
        syncStrategyApply: z
          .object({ force: z.boolean().optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** ApplicationSyncRequest. @public */
export const syncRequestSchema = z
  .object({
    name: z.string().optional(),
    revision: z.string().optional(),
    revisions: z.array(z.string()).optional(),
    sourcePositions: z.array(int64).optional(),
    dryRun: z.boolean().optional(),
    prune: z.boolean().optional(),
    strategy: strategy.optional(),
    resources: z.array(resource).optional(),
    manifests: z.array(z.string()).optional(),
    infos: z.array(info).optional(),
    syncOptions: z
      .object({ items: z.array(z.string()).optional() })
      .passthrough()
      .optional(),
    retryStrategy: z.record(z.unknown()).optional(),
    appNamespace: z.string().optional(),
    project: z.string().optional(),
  })
  .passthrough();

/** ApplicationRollbackRequest. @public */
export const rollbackRequestSchema = z
  .object({
    name: z.string().optional(),
    id: int64.optional(),
    dryRun: z.boolean().optional(),
    prune: z.boolean().optional(),
    appNamespace: z.string().optional(),
    project: z.string().optional(),
  })
  .passthrough();

/** ApplicationPatchRequest. @public */
export const patchRequestSchema = z
  .object({
    name: z.string().optional(),
    patch: z.string({
      required_error: 'is required (a string containing a JSON document)',
    }),
    patchType: z.string().optional(),
    appNamespace: z.string().optional(),
    project: z.string().optional(),
  })
  .passthrough();

/** Parses `body` or throws a 400 naming the first bad field. @public */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
  what: string,
): z.infer<T> {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue.path.join('.') || '(body)';
  throw argoErrors.invalidArgument(
    `invalid ${what}: ${field}: ${issue.message}`,
  );
}
