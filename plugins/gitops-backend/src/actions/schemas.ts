import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';

/**
 * The zod namespace the actions registry hands to `schema.input`/`schema.output`. Taken from the
 * registry's own signature, not imported: `@backstage/backend-plugin-api` resolves `zod/v3` from
 * its own zod 4 install, and a `zod/v3` import of ours (zod 3) is a different, incompatible type
 * (the type checker then explodes: "Type instantiation is excessively deep").
 */
type Z = Parameters<
  Parameters<ActionsRegistryService['register']>[0]['schema']['input']
>[0];

/*
 * Exported schema builders carry these declared types: their inferred types would name the
 * registry's nested zod install, which declaration output cannot refer to. The routes' own zod
 * schemas (createGitOpsOperations) validate the input again, so nothing relies on the loose shape.
 */
type ZodString = ReturnType<Z['string']>;
type ZodObjectSchema = ReturnType<Z['object']>;
type ZodPassthroughObject = ReturnType<ZodObjectSchema['passthrough']>;

/** Entity reference input, e.g. `component:default/payments`. */
export const entityRefInput = (z: Z): ZodString =>
  z
    .string()
    .describe(
      'Catalog entity reference of the service, e.g. "component:default/payments" (kind:namespace/name).',
    );

export const environmentInput = (z: Z): ZodString =>
  z
    .string()
    .describe(
      'Environment name from the entity\'s pipeline, e.g. "dev", "staging", "prod" (see gitops:get-environments).',
    );

export const changeIdInput = (z: Z): ZodString =>
  z.string().describe('Id (UUID) of a change request.');

/** The fields of a change request (promote, sync or rollback). */
export const changeRequestInput = (z: Z): ZodObjectSchema =>
  z.object({
    entityRef: entityRefInput(z),
    environment: environmentInput(z).describe(
      'Target environment the change deploys to.',
    ),
    kind: z
      .enum(['promote', 'sync', 'rollback'])
      .describe(
        'promote: run `version` (taken from the previous environment) in the target; sync: apply what Git already says; rollback: go back to `rollbackTo`.',
      ),
    version: z
      .string()
      .optional()
      .describe(
        'Version (image tag) to promote, e.g. "v1.2.0". Required for promote; not allowed for sync.',
      ),
    rollbackTo: z
      .object({
        historyId: z.string().optional(),
        revision: z.string().optional(),
        version: z.string().optional(),
      })
      .optional()
      .describe(
        'Rollback target from gitops:get-history (its `id` as historyId, or revision / version). Required for rollback only.',
      ),
    reason: z
      .string()
      .optional()
      .describe(
        'Why the change is needed; shown to approvers. Required for an override.',
      ),
    override: z
      .boolean()
      .optional()
      .describe(
        'Emergency override of deployment windows. Only for people allowed to override, with a reason; it still needs the override approvers.',
      ),
  });

const check = (z: Z) =>
  z
    .object({
      id: z.string(),
      status: z.enum(['pass', 'fail', 'pending']),
      message: z.string(),
    })
    .passthrough();

/** A change request as the API returns it. */
export const changeOutput = (z: Z): ZodPassthroughObject =>
  z
    .object({
      id: z.string(),
      entityRef: z.string(),
      environment: z.string(),
      kind: z.enum(['promote', 'sync', 'rollback']),
      state: z.string(),
      version: z.string().optional(),
      fromVersion: z.string().optional(),
      requestedBy: z.string(),
      requiredApprovals: z.number(),
      checks: z.array(check(z)),
      approvals: z.array(
        z.object({ approver: z.string(), decision: z.string() }).passthrough(),
      ),
      expiresAt: z.string().optional(),
      runAfter: z.string().optional(),
    })
    .passthrough();

export const previewOutput = (z: Z): ZodPassthroughObject =>
  z
    .object({
      allowed: z.boolean(),
      checks: z.array(check(z)),
      requiredApprovals: z.number(),
      fromVersion: z.string().optional(),
      version: z.string().optional(),
    })
    .passthrough();

/**
 * The API's interfaces as an action's output: zod's passthrough objects have
 * an index signature that TypeScript interfaces lack; the registry validates
 * the value against the output schema anyway.
 */
export function asOutput(value: object): any {
  return value;
}
