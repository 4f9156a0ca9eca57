import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { GitOpsOperations } from './ports';
import {
  asOutput,
  changeIdInput,
  changeOutput,
  entityRefInput,
  environmentInput,
} from './schemas';

const READ = { readOnly: true, destructive: false, idempotent: true };

/** Registers the read-only GitOps actions. @internal */
export function registerReadActions(
  registry: ActionsRegistryService,
  ops: GitOpsOperations,
) {
  registry.register({
    name: 'get-environments',
    title: 'Get GitOps environments',
    description:
      'What runs where for one service: for each environment of its pipeline (e.g. dev → staging → prod) the running version, Argo CD sync and health status, the last deployment and whether a deployment window is open. Read-only. Use it before preview-change or request-change to learn the environment names and the versions that can be promoted.',
    attributes: READ,
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          pipeline: z.string(),
          environments: z.array(
            z
              .object({
                name: z.string(),
                order: z.number(),
                promotesFrom: z.string().optional(),
                version: z.string().optional(),
                syncStatus: z.string().optional(),
              })
              .passthrough(),
          ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: asOutput(await ops.getEnvironments(input.entityRef, credentials)),
    }),
  });

  registry.register({
    name: 'get-history',
    title: 'Get deployment history',
    description:
      'Deployment history of one environment of a service, newest first: version, revision, when and by whom it was deployed and which change request (and approvers) made it. Read-only. The `id` of an entry is what request-change with kind "rollback" takes as rollbackTo.historyId.',
    attributes: READ,
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefInput(z),
          environment: environmentInput(z),
        }),
      output: z =>
        z.object({
          items: z.array(
            z
              .object({
                id: z.string(),
                source: z.string(),
                version: z.string().optional(),
                revision: z.string().optional(),
                deployedAt: z.string().optional(),
              })
              .passthrough(),
          ),
          errors: z.array(z.object({}).passthrough()),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: asOutput(
        await ops.getHistory(input.entityRef, input.environment, credentials),
      ),
    }),
  });

  registry.register({
    name: 'get-change',
    title: 'Get a change request',
    description:
      'One change request with its state (awaiting_approval, approved, waiting_for_window with runAfter, executing, succeeded, failed, rejected, cancelled, expired, blocked), checks, approvals, result and full event trail. Read-only. Use it to follow a change made with request-change.',
    attributes: READ,
    schema: {
      input: z => z.object({ changeId: changeIdInput(z) }),
      output: z =>
        changeOutput(z).extend({
          events: z.array(z.object({ type: z.string() }).passthrough()),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: asOutput(await ops.getChange(input.changeId, credentials)),
    }),
  });

  registry.register({
    name: 'list-pending-approvals',
    title: 'List change requests awaiting my approval',
    description:
      "Change requests the signed-in user could decide on (they are an eligible approver, did not request it and have not decided yet). Read-only. Approving or rejecting is a person's decision: no action does it; tell the user to open the change's review in Backstage (GitOps tab of the entity) to decide.",
    attributes: READ,
    schema: {
      input: z => z.object({}),
      output: z => z.object({ items: z.array(changeOutput(z)) }),
    },
    action: async ({ credentials }) => ({
      output: asOutput(
        await ops.pendingApprovals(await ops.caller(credentials)),
      ),
    }),
  });
}
