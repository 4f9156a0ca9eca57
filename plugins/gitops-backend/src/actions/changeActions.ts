import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { GitOpsOperations } from './ports';
import {
  asOutput,
  changeIdInput,
  changeOutput,
  changeRequestInput,
  previewOutput,
} from './schemas';

/** Said by every action near approvals: they are not for agents to make. */
export const APPROVAL_IS_A_PERSON =
  "Approving or rejecting a change is a person's decision: no action approves or rejects; the approvers are notified and decide in Backstage.";

/** Registers the GitOps actions that create or cancel change requests. @internal */
export function registerChangeActions(
  registry: ActionsRegistryService,
  ops: GitOpsOperations,
) {
  registry.register({
    name: 'preview-change',
    title: 'Preview a change request',
    description:
      "Evaluates a promote, sync or rollback against the environment's policy without storing anything: whether it would be allowed, each check (tag pattern, previous environment healthy, soak time, deployment window, approvals needed) with a sentence, the version running now and the number of approvals required. Read-only; call it before request-change and show the failing checks to the user.",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    schema: {
      input: z => changeRequestInput(z),
      output: z => previewOutput(z),
    },
    action: async ({ input, credentials }) => {
      const result = await ops.createChange(
        { ...input, preview: true },
        await ops.caller(credentials),
      );
      return { output: asOutput(result) };
    },
  });

  registry.register({
    name: 'request-change',
    title: 'Request a change (promote, sync or rollback)',
    description: `Requests a deployment change for a service as the signed-in user: promote a version to an environment, sync an environment to what Git says, or roll it back to an earlier deployment. The policy is checked first (a failing check refuses the request with the reason). Environments without an approval gate run right away (or when their deployment window opens: state waiting_for_window with runAfter); gated environments wait in awaiting_approval. ${APPROVAL_IS_A_PERSON} Only one open change per service and environment; follow it with get-change. Preview it first with preview-change.`,
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z => changeRequestInput(z),
      output: z => changeOutput(z),
    },
    action: async ({ input, credentials }) => {
      const result = await ops.createChange(
        input,
        await ops.caller(credentials),
      );
      return { output: asOutput(result) };
    },
  });

  registry.register({
    name: 'cancel-change',
    title: 'Cancel a change request',
    description:
      "Cancels a change request that has not started executing (awaiting_approval, approved or waiting_for_window), as the signed-in user: its requester, or someone allowed to request changes on the service. A change that is executing or finished cannot be cancelled. Not for declining someone else's request as an approver: rejecting is a person's decision made in Backstage.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z.object({
          changeId: changeIdInput(z),
          reason: z
            .string()
            .optional()
            .describe('Why it is cancelled; kept in the audit trail.'),
        }),
      output: z => changeOutput(z),
    },
    action: async ({ input, credentials }) => ({
      output: asOutput(
        await ops.cancelChange(
          input.changeId,
          await ops.caller(credentials),
          input.reason,
        ),
      ),
    }),
  });
}
