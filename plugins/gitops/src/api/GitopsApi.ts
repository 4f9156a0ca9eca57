import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  ChangeState,
  CreateChangeRequest,
  DecisionRequest,
  EntityGitOpsState,
  EnvironmentDiff,
  EnvironmentHistory,
  EnvironmentResources,
} from '@internal/plugin-gitops-common';

/**
 * Filters of `GET /changes`.
 *
 * @public
 */
export interface ListChangesQuery {
  entityRef?: string;
  state?: ChangeState;
  environment?: string;
}

/**
 * Client of the GitOps backend (`/api/gitops`).
 *
 * @public
 */
export interface GitopsApi {
  getEnvironments(entity: CompoundEntityRef): Promise<EntityGitOpsState>;
  getHistory(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentHistory>;
  getDiff(entity: CompoundEntityRef, env: string): Promise<EnvironmentDiff>;
  getResources(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentResources>;
  /** Evaluates a change against the policy without storing it. */
  previewChange(request: CreateChangeRequest): Promise<ChangePreview>;
  createChange(request: CreateChangeRequest): Promise<ChangeRequest>;
  listChanges(query?: ListChangesQuery): Promise<ChangeList>;
  getChange(id: string): Promise<ChangeRequestDetail>;
  approveChange(id: string, decision?: DecisionRequest): Promise<ChangeRequest>;
  rejectChange(id: string, decision?: DecisionRequest): Promise<ChangeRequest>;
  cancelChange(id: string): Promise<ChangeRequest>;
  /** Changes waiting for the signed-in user's decision. */
  getPendingApprovals(): Promise<ChangeList>;
}

/**
 * API reference of {@link GitopsApi}.
 *
 * @public
 */
export const gitopsApiRef = createApiRef<GitopsApi>().with({
  id: 'plugin.gitops.api',
  pluginId: 'gitops',
});
