import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  gitopsChangeApprovePermission,
  gitopsChangeCreatePermission,
  gitopsChangeOverridePermission,
} from '@internal/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ChangePermissions } from './ports';

const PERMISSIONS = {
  create: gitopsChangeCreatePermission,
  approve: gitopsChangeApprovePermission,
  override: gitopsChangeOverridePermission,
};

const FIELD = {
  create: 'entityRef',
  approve: 'approver',
  override: 'override',
};

/**
 * Checks the GitOps permissions against the catalog entity (resource type
 * `catalog-entity`, resourceRef = the entity ref), so conditional policies
 * such as "owners only" are resolved by the catalog's permission rules.
 *
 * @internal
 */
export class EntityPermissions implements ChangePermissions {
  readonly #permissions: PermissionsService;

  static create(permissions: PermissionsService) {
    return new EntityPermissions(permissions);
  }

  private constructor(permissions: PermissionsService) {
    this.#permissions = permissions;
  }

  async require(
    action: 'create' | 'approve' | 'override',
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const permission = PERMISSIONS[action];
    const [decision] = await this.#permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${FIELD[action]}: you are not allowed '${permission.name}' on ${entityRef}`,
      );
    }
  }
}
