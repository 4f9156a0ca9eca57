import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { registerChangeActions } from './changeActions';
import { GitOpsOperations } from './ports';
import { registerReadActions } from './readActions';

export type { GitOpsOperations } from './ports';
export { APPROVAL_IS_A_PERSON } from './changeActions';

/**
 * Registers the GitOps actions in the actions registry (exposed to agents by
 * the MCP actions backend when `gitops` is in `backend.actions.pluginSources`):
 * get-environments, get-history, preview-change, request-change, get-change,
 * list-pending-approvals, cancel-change. None approves or rejects.
 *
 * @internal
 */
export function registerGitOpsActions(
  registry: ActionsRegistryService,
  ops: GitOpsOperations,
) {
  registerReadActions(registry, ops);
  registerChangeActions(registry, ops);
}
