import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsClient, gitopsApiRef } from './api';
import { legacyApprovalsRouteRef, legacyFleetRouteRef } from './routes';

/**
 * The GitOps plugin for legacy (non-declarative) apps.
 *
 * @public
 */
export const gitopsLegacyPlugin = createPlugin({
  id: 'gitops',
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { approvals: legacyApprovalsRouteRef, fleet: legacyFleetRouteRef },
});

/**
 * The GitOps tab for the entity page (legacy apps): wrap in
 * `<EntityLayout.Route path="/gitops" title="GitOps" if={isGitOpsAvailable}>`.
 *
 * @public
 */
export const EntityGitOpsContent: () => JSX.Element =
  gitopsLegacyPlugin.provide(
    createComponentExtension({
      name: 'EntityGitOpsContent',
      component: {
        lazy: () =>
          import(
            /* webpackChunkName: "gitops-tab" */ './components/EntityGitOpsContent/EntityGitOpsContent'
          ).then(m => m.EntityGitOpsContent),
      },
    }),
  );

/**
 * Summary card of what runs where, for the entity overview (legacy apps).
 *
 * @public
 */
export const EntityGitOpsSummaryCard: () => JSX.Element =
  gitopsLegacyPlugin.provide(
    createComponentExtension({
      name: 'EntityGitOpsSummaryCard',
      component: {
        lazy: () =>
          import(
            /* webpackChunkName: "gitops-summary-card" */ './components/SummaryCard/EntityGitOpsSummaryCard'
          ).then(m => m.EntityGitOpsSummaryCard),
      },
    }),
  );

/**
 * The approvals inbox page (legacy apps): `<Route path="/gitops/approvals" element={<GitOpsApprovalsPage />} />`.
 *
 * @public
 */
export const GitOpsApprovalsPage: () => JSX.Element =
  gitopsLegacyPlugin.provide(
    createRoutableExtension({
      name: 'GitOpsApprovalsPage',
      component: () =>
        import(
          /* webpackChunkName: "gitops-approvals" */ './components/ApprovalsPage/ApprovalsInbox'
        ).then(m => m.GitOpsApprovalsPage),
      mountPoint: legacyApprovalsRouteRef,
    }),
  );

/**
 * The fleet page (legacy apps): `<Route path="/gitops/fleet" element={<GitOpsFleetPage />} />`.
 *
 * @public
 */
export const GitOpsFleetPage: () => JSX.Element = gitopsLegacyPlugin.provide(
  createRoutableExtension({
    name: 'GitOpsFleetPage',
    component: () =>
      import(
        /* webpackChunkName: "gitops-fleet" */ './components/FleetPage/FleetPage'
      ).then(m => m.GitOpsFleetPage),
    mountPoint: legacyFleetRouteRef,
  }),
);
