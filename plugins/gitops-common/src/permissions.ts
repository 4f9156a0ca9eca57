import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Permissions of the GitOps plugin. They are checked against the catalog entity
 * (resource type `catalog-entity`), so a policy can say "owners only".
 * The promotion policy (app-config) is separate: permissions say who may
 * attempt an action, the policy says whether the change may happen now.
 */

/** Guards `POST /changes` (promote, sync, rollback). @public */
export const gitopsChangeCreatePermission = createPermission({
  name: 'gitops.change.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/** Guards `POST /changes/:id/approve` and `/reject`. @public */
export const gitopsChangeApprovePermission = createPermission({
  name: 'gitops.change.approve',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Guards `override: true` on `POST /changes` (emergency override of windows). @public */
export const gitopsChangeOverridePermission = createPermission({
  name: 'gitops.change.override',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Guards `GET …/troubleshooting/logs` (pod logs through Argo CD; logs may
 * hold secrets, so reading them is a permission of its own). @public
 */
export const gitopsLogsReadPermission = createPermission({
  name: 'gitops.logs.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Guards `POST …/environments/:env/verification` (recording that a version was
 * verified or failed in an environment); the policy's sign-off groups say who
 * may decide. @public
 */
export const gitopsVerificationSignOffPermission = createPermission({
  name: 'gitops.verification.signoff',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** All GitOps permissions. @public */
export const gitopsPermissions = [
  gitopsChangeCreatePermission,
  gitopsChangeApprovePermission,
  gitopsChangeOverridePermission,
  gitopsLogsReadPermission,
  gitopsVerificationSignOffPermission,
];
