import { createApiRef } from '@backstage/frontend-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EnvironmentVerification,
  VerificationDecisionRequest,
} from '@internal/plugin-gitops-common';
import type {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  ChangeState,
  CreateChangeRequest,
  DecisionRequest,
  EntityGitOpsOverview,
  EntityGitOpsState,
  EnvironmentDiff,
  EnvironmentHistory,
  EnvironmentResources,
  FleetQuery,
  FleetResponse,
  ImageDigests,
  ImageTagList,
  LastOperation,
  LogQuery,
  LogStreamLine,
  OutOfSyncReport,
  ResourceEvents,
  ResourceTree,
  TreeHealthFilter,
} from '@internal/plugin-gitops-common';

/**
 * Filters of `GET /changes`.
 *
 * @public
 */
export interface ListChangesQuery {
  /** Only changes of this entity (`kind:namespace/name`). */
  entityRef?: string;
  /** Only changes in this state. */
  state?: ChangeState;
  /** Only changes of this environment. */
  environment?: string;
}

/**
 * Client of the GitOps backend (`/api/gitops`).
 *
 * @public
 */
export interface GitopsApi {
  /**
   * Everything the tab shows when it opens, in one request: the state, the
   * entity's changes, the caller's pending approvals, verification and image
   * digests per environment (optional: without it the tab asks per part).
   */
  getOverview?(entity: CompoundEntityRef): Promise<EntityGitOpsOverview>;
  /** What runs in each environment of the entity's pipeline. */
  getEnvironments(entity: CompoundEntityRef): Promise<EntityGitOpsState>;
  /** Deployment history of one environment (Argo CD, Helm). */
  getHistory(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentHistory>;
  /** Live vs Git of one environment. */
  getDiff(entity: CompoundEntityRef, env: string): Promise<EnvironmentDiff>;
  /** Registry tags the environment's policy accepts, newest first, with digests (the promote dialog). */
  getImageTags?(entity: CompoundEntityRef, env: string): Promise<ImageTagList>;
  /** Image digests of the versions the environment runs and ran (cards, history). */
  getImageDigests?(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<ImageDigests>;
  /** The resources of one environment's application. */
  getResources(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentResources>;
  /** Evaluates a change against the policy without storing it. */
  previewChange(request: CreateChangeRequest): Promise<ChangePreview>;
  /** Requests a change; the policy decides whether and when it runs. */
  createChange(request: CreateChangeRequest): Promise<ChangeRequest>;
  /** Change requests, newest first. */
  listChanges(query?: ListChangesQuery): Promise<ChangeList>;
  /** One change with its approvals and events. */
  getChange(id: string): Promise<ChangeRequestDetail>;
  /** Approves a change waiting for the caller's decision. */
  approveChange(id: string, decision?: DecisionRequest): Promise<ChangeRequest>;
  /** Rejects a change waiting for the caller's decision. */
  rejectChange(id: string, decision?: DecisionRequest): Promise<ChangeRequest>;
  /** Cancels the caller's own open change. */
  cancelChange(id: string): Promise<ChangeRequest>;
  /** Changes waiting for the signed-in user's decision. */
  getPendingApprovals(): Promise<ChangeList>;
  /** Verification of the version running in an environment (sign-off, automated). */
  getVerification(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<EnvironmentVerification>;
  /** Records a sign-off decision on the version running in an environment. */
  decideVerification(
    entity: CompoundEntityRef,
    env: string,
    decision: VerificationDecisionRequest,
  ): Promise<EnvironmentVerification>;
  /** Every entity × environment the caller can see, optionally filtered. */
  getFleet(query?: FleetQuery): Promise<FleetResponse>;
  /** Troubleshooting: the environment's resource tree (optionally only unhealthy branches). */
  getResourceTree(
    entity: CompoundEntityRef,
    env: string,
    health?: TreeHealthFilter[],
  ): Promise<ResourceTree>;
  /** Troubleshooting: events of the application, or of one resource. */
  getResourceEvents(
    entity: CompoundEntityRef,
    env: string,
    resource?: { uid?: string; name?: string; namespace?: string },
  ): Promise<ResourceEvents>;
  /** Troubleshooting: the last operation (per-resource results, hooks) and the app's conditions. */
  getLastOperation(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<LastOperation>;
  /** Troubleshooting: out-of-sync resources and their likely causes. */
  getOutOfSync(
    entity: CompoundEntityRef,
    env: string,
  ): Promise<OutOfSyncReport>;
  /**
   * Troubleshooting: streams a pod's logs (needs `gitops.logs.read`); calls
   * `onLine` per line until the stream ends or `signal` aborts.
   */
  streamLogs(
    entity: CompoundEntityRef,
    env: string,
    query: LogQuery,
    onLine: (line: LogStreamLine) => void,
    signal?: AbortSignal,
  ): Promise<void>;
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
