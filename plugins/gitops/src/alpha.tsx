/**
 * The GitOps plugin for the new frontend system.
 *
 * @packageDocumentation
 */
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import SyncAltIcon from '@material-ui/icons/SyncAlt';
import ViewListIcon from '@material-ui/icons/ViewList';
import { GitopsClient, gitopsApiRef } from './api';
import { approvalsRouteRef, fleetRouteRef } from './routes';
import { isGitOpsAvailable } from './utils/isGitOpsAvailable';

/**
 * The GitOps API: `GitopsClient` against the GitOps backend.
 *
 * @alpha
 */
export const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
});

/** The GitOps tab on entity pages. @alpha */
export const gitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'gitops',
    title: 'GitOps',
    group: 'deployment',
    filter: isGitOpsAvailable,
    loader: () =>
      import(
        /* webpackChunkName: "gitops-tab" */ './components/EntityGitOpsContent/EntityGitOpsContent'
      ).then(m => <m.EntityGitOpsContent />),
  },
});

/** Summary card for the entity overview. @alpha */
export const gitopsEntityCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    type: 'info',
    filter: isGitOpsAvailable,
    loader: () =>
      import(
        /* webpackChunkName: "gitops-summary-card" */ './components/SummaryCard/EntityGitOpsSummaryCard'
      ).then(m => <m.EntityGitOpsSummaryCard />),
  },
});

/** The approvals inbox at /gitops/approvals (shown in the sidebar). @alpha */
export const gitopsApprovalsPage = PageBlueprint.make({
  params: {
    path: '/gitops/approvals',
    title: 'Approvals',
    icon: <SyncAltIcon />,
    routeRef: approvalsRouteRef,
    loader: () =>
      import(
        /* webpackChunkName: "gitops-approvals" */ './components/ApprovalsPage/ApprovalsInbox'
      ).then(m => <m.ApprovalsPageContent />),
  },
});

/** The fleet page at /gitops/fleet (shown in the sidebar beside Approvals). @alpha */
export const gitopsFleetPage = PageBlueprint.make({
  name: 'fleet',
  params: {
    path: '/gitops/fleet',
    title: 'Fleet',
    icon: <ViewListIcon />,
    routeRef: fleetRouteRef,
    loader: () =>
      import(
        /* webpackChunkName: "gitops-fleet" */ './components/FleetPage/FleetPage'
      ).then(m => <m.FleetPageContent />),
  },
});

/**
 * The GitOps frontend plugin.
 *
 * @alpha
 */
const gitopsPlugin = createFrontendPlugin({
  pluginId: 'gitops',
  title: 'GitOps',
  icon: <SyncAltIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { approvals: approvalsRouteRef, fleet: fleetRouteRef },
  extensions: [
    gitopsApi,
    gitopsEntityContent,
    gitopsEntityCard,
    gitopsApprovalsPage,
    gitopsFleetPage,
  ],
});

export default gitopsPlugin;
export { isGitOpsAvailable } from './utils/isGitOpsAvailable';
export { gitopsApiRef } from './api';
export type { GitopsApi, ListChangesQuery } from './api';
export { gitopsTranslationRef } from './translation';
