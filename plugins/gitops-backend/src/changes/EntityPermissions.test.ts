import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gitopsChangeApprovePermission,
  gitopsChangeCreatePermission,
  gitopsChangeOverridePermission,
} from '@internal/plugin-gitops-common';
import { EntityPermissions } from './EntityPermissions';

describe('EntityPermissions', () => {
  const credentials = mockCredentials.user('user:default/alice');
  const ref = 'component:default/python-api-base';

  it.each([
    ['create', gitopsChangeCreatePermission],
    ['approve', gitopsChangeApprovePermission],
    ['override', gitopsChangeOverridePermission],
  ] as const)(
    '%s authorizes %p on the entity ref',
    async (action, permission) => {
      const permissions = mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.ALLOW }],
      });
      await EntityPermissions.create(permissions).require(
        action,
        ref,
        credentials,
      );
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission, resourceRef: ref }],
        { credentials },
      );
    },
  );

  it.each([
    [
      'create',
      "entityRef: you are not allowed 'gitops.change.create' on component:default/python-api-base",
    ],
    [
      'approve',
      "approver: you are not allowed 'gitops.change.approve' on component:default/python-api-base",
    ],
    [
      'override',
      "override: you are not allowed 'gitops.change.override' on component:default/python-api-base",
    ],
  ] as const)(
    'a denied %s is a NotAllowedError naming the field',
    async (action, message) => {
      const permissions = mockServices.permissions.mock({
        authorize: async () => [{ result: AuthorizeResult.DENY }],
      });
      await expect(
        EntityPermissions.create(permissions).require(action, ref, credentials),
      ).rejects.toMatchObject({ name: 'NotAllowedError', message });
    },
  );
});
