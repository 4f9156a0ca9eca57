import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ChangeState } from '@internal/plugin-gitops-common';
import { z } from 'zod';

/**
 * Field limits. Far below the change routes' JSON body limit, so that a
 * field over its limit is a 400 naming the field and the limit, not a 413
 * for the whole body.
 */
export const FIELD_LIMITS = {
  reason: 2000,
  comment: 2000,
  version: 128,
  revision: 128,
  historyId: 64,
  environment: 63,
  entityRef: 255,
} as const;

const max = (n: number) => `must be at most ${n} characters`;

const SAFE_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const SAFE_TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

function noTraversal(s: string) {
  return !s.includes('..') && !/%2f|%5c|[\\/]/i.test(s);
}

const environment = z
  .string({ invalid_type_error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(FIELD_LIMITS.environment, max(FIELD_LIMITS.environment))
  .refine(
    s => SAFE_NAME.test(s) && noTraversal(s),
    s => ({
      message: `'${s}' is not an environment name (letters, digits, '.', '_', '-'; no slashes or '..')`,
    }),
  );

const version = z
  .string({ invalid_type_error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(FIELD_LIMITS.version, max(FIELD_LIMITS.version))
  .refine(
    s => SAFE_TAG.test(s) && noTraversal(s),
    s => ({
      message: `'${s}' is not a valid tag (letters, digits, '.', '_', '+', '-'; no spaces, slashes or '..')`,
    }),
  );

/** Parses and normalises an entity ref; rejects path tricks. */
export const entityRefSchema = z
  .string({ invalid_type_error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(FIELD_LIMITS.entityRef, max(FIELD_LIMITS.entityRef))
  .transform((s, ctx) => {
    if (!noTraversal(s.replace(/^[^:]+:[^/]+\//, ''))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${s}' is not an entity ref such as component:default/my-service`,
      });
      return z.NEVER;
    }
    try {
      const ref = parseEntityRef(s);
      if (
        ![ref.kind, ref.namespace, ref.name].every(
          p => SAFE_NAME.test(p) && noTraversal(p),
        )
      ) {
        throw new Error('bad characters');
      }
      return stringifyEntityRef(ref);
    } catch {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `'${s}' is not an entity ref such as component:default/my-service`,
      });
      return z.NEVER;
    }
  });

const rollbackTo = z
  .object(
    {
      historyId: z
        .string({ invalid_type_error: 'must be a string' })
        .max(FIELD_LIMITS.historyId, max(FIELD_LIMITS.historyId))
        .regex(/^[A-Za-z0-9._-]+$/, 'must be a history id')
        .optional(),
      revision: z
        .string({ invalid_type_error: 'must be a string' })
        .max(FIELD_LIMITS.revision, max(FIELD_LIMITS.revision))
        .regex(/^[A-Za-z0-9._-]+$/, 'must be a revision (commit SHA or tag)')
        .optional(),
      version: version.optional(),
    },
    { invalid_type_error: 'must be an object' },
  )
  .strict()
  .refine(r => r.historyId || r.revision || r.version, {
    message: 'name a historyId, revision or version',
  });

/** Body of `POST /changes`. */
export const createChangeSchema = z
  .object(
    {
      entityRef: entityRefSchema,
      environment,
      kind: z.enum(['promote', 'sync', 'rollback'], {
        errorMap: () => ({
          message: "must be 'promote', 'sync' or 'rollback'",
        }),
      }),
      version: version.optional(),
      sourceEnvironment: environment.optional(),
      rollbackTo: rollbackTo.optional(),
      reason: z
        .string({ invalid_type_error: 'must be a string' })
        .max(FIELD_LIMITS.reason, max(FIELD_LIMITS.reason))
        .optional(),
      override: z
        .boolean({ invalid_type_error: 'must be true or false' })
        .optional(),
      preview: z
        .boolean({ invalid_type_error: 'must be true or false' })
        .optional(),
    },
    { invalid_type_error: 'the body must be a JSON object' },
  )
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind === 'promote' && !b.version) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['version'],
        message: 'is required to promote',
      });
    }
    if (b.kind === 'rollback' && !b.rollbackTo) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['rollbackTo'],
        message: 'is required to roll back',
      });
    }
    if (b.kind !== 'rollback' && b.rollbackTo) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['rollbackTo'],
        message: `only applies to kind rollback, not ${b.kind}`,
      });
    }
    if (b.kind === 'sync' && b.version) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['version'],
        message: 'does not apply to kind sync (it applies what Git says)',
      });
    }
  });

/** Body of approve / reject. */
export const decisionSchema = z
  .object(
    {
      comment: z
        .string({ invalid_type_error: 'must be a string' })
        .max(FIELD_LIMITS.comment, max(FIELD_LIMITS.comment))
        .optional(),
    },
    { invalid_type_error: 'the body must be a JSON object' },
  )
  .strict();

const STATES: [ChangeState, ...ChangeState[]] = [
  'awaiting_approval',
  'approved',
  'waiting_for_window',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'expired',
  'blocked',
];

/** Query of `GET /changes`. */
export const listQuerySchema = z
  .object({
    entityRef: entityRefSchema.optional(),
    environment: environment.optional(),
    state: z
      .union([z.string(), z.array(z.string())])
      .transform(s => (Array.isArray(s) ? s : s.split(',')).filter(Boolean))
      .pipe(
        z.array(
          z.enum(STATES, {
            errorMap: () => ({
              message: `must be one of ${STATES.join(', ')}`,
            }),
          }),
        ),
      )
      .optional(),
    limit: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500')
      .optional(),
  })
  .strict();

/** Change ids are UUIDs. */
export const changeIdSchema = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'must be a change id (UUID)',
  );

/**
 * Validates input; a failure is an InputError naming every field and reason,
 * e.g. `version: 'latest ' is not a valid tag …`.
 */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what = 'body',
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const parts = result.error.issues.map(i => {
      const field = i.path.length ? i.path.join('.') : what;
      if (i.code === 'unrecognized_keys') {
        return `${field}: unknown field${
          i.keys.length > 1 ? 's' : ''
        } ${i.keys.join(', ')}`;
      }
      if (i.code === 'invalid_type' && i.received === 'undefined') {
        return `${field}: is required`;
      }
      return `${field}: ${i.message}`;
    });
    throw new InputError(parts.join('; '));
  }
  return result.data;
}
