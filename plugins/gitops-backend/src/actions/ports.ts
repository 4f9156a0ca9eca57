import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import type { Caller } from '../changes/ports';

/**
 * What the actions call: the same operations the HTTP routes call, with the
 * caller's credentials (policy, permissions, visibility and audit happen
 * behind these methods, once for both).
 *
 * @internal
 */
export interface GitOpsOperations {
  /** The signed-in user behind these credentials (NotAllowedError for a service or nobody). */
  caller(credentials: BackstageCredentials): Promise<Caller>;
  /** `GET /entities/:kind/:namespace/:name/environments` (404 when the caller cannot see the entity). */
  getEnvironments(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<EntityGitOpsState>;
  /** `GET …/environments/:env/history`. */
  getHistory(
    entityRef: string,
    environment: string,
    credentials: BackstageCredentials,
  ): Promise<EnvironmentHistory>;
  /** `POST /changes` (with `preview` nothing is stored; otherwise audited). */
  createChange(
    body: unknown,
    caller: Caller,
  ): Promise<ChangeRequest | ChangePreview>;
  /** `GET /changes/:id`. */
  getChange(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequestDetail>;
  /** `GET /approvals/pending`. */
  pendingApprovals(caller: Caller): Promise<ChangeList>;
  /** `POST /changes/:id/cancel` (audited). */
  cancelChange(
    id: string,
    caller: Caller,
    reason?: string,
  ): Promise<ChangeRequest>;
}
