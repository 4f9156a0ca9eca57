/**
 * Frontend of the GitOps plugin: what runs where, promotions, approvals and
 * rollbacks on the entity page.
 *
 * This entry is for legacy apps; the new frontend system uses
 * `@internal/plugin-gitops/alpha`.
 *
 * @packageDocumentation
 */
export {
  gitopsLegacyPlugin as default,
  gitopsLegacyPlugin,
  EntityGitOpsContent,
  EntityGitOpsSummaryCard,
  GitOpsApprovalsPage,
} from './plugin';
export { isGitOpsAvailable } from './utils/isGitOpsAvailable';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi, ListChangesQuery } from './api';
export { legacyApprovalsRouteRef } from './routes';
