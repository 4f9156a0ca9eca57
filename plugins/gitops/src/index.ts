/**
 * Frontend of the GitOps plugin: what runs where, promotions, approvals and
 * rollbacks on the entity page.
 *
 * This entry is for legacy apps; the new frontend system uses
 * the `/alpha` entry point of this package.
 *
 * @packageDocumentation
 */
export {
  gitopsLegacyPlugin as default,
  gitopsLegacyPlugin,
  EntityGitOpsContent,
  EntityGitOpsSummaryCard,
  GitOpsApprovalsPage,
  GitOpsFleetPage,
} from './plugin';
export { isGitOpsAvailable } from './utils/isGitOpsAvailable';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi, ListChangesQuery } from './api';
export { legacyApprovalsRouteRef, legacyFleetRouteRef } from './routes';
