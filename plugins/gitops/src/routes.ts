import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Route of the approvals inbox in the new frontend system. @alpha */
export const approvalsRouteRef = createRouteRef();

/** Route of the fleet page in the new frontend system. @alpha */
export const fleetRouteRef = createRouteRef();

/** Route of the fleet page in legacy apps. @public */
export const legacyFleetRouteRef = createLegacyRouteRef({
  id: 'gitops-fleet',
});

/** Route of the approvals inbox in legacy apps. @public */
export const legacyApprovalsRouteRef = createLegacyRouteRef({
  id: 'gitops-approvals',
});
