import type { ChangeRequest } from './changes';
import type { ImageDigests } from './images';
import type { EntityGitOpsState } from './state';
import type { EnvironmentVerification } from './verification';

/**
 * Response of `GET /entities/:kind/:namespace/:name/overview`: everything the
 * GitOps tab shows when it opens, in one request (one consistent snapshot
 * instead of one request per part and environment).
 *
 * @public
 */
export interface EntityGitOpsOverview {
  /** What runs where (the same as `GET …/environments`). */
  state: EntityGitOpsState;
  /** Change requests of the entity the caller can see, newest first (the same as `GET /changes?entityRef=`). */
  changes: ChangeRequest[];
  /** Ids of changes (of any entity) waiting for the caller's decision (the same as `GET /approvals/pending`). */
  pendingForMe: string[];
  /** Verification per environment (the same as `GET …/environments/:env/verification`); absent when the backend has none. */
  verification?: Record<string, EnvironmentVerification>;
  /** Image digests per environment (the same as `GET …/environments/:env/image-digests`); absent without image routes. */
  digests?: Record<string, ImageDigests>;
  /** Parts that could not be read, by part (`changes`, `pendingForMe`, `verification.<env>`, `digests.<env>`): a sentence each. */
  partErrors?: Record<string, string>;
}
