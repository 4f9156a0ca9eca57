import { usePermission } from '@backstage/plugin-permission-react';
import {
  gitopsChangeApprovePermission,
  gitopsChangeCreatePermission,
  gitopsChangeOverridePermission,
} from '@internal/plugin-gitops-common';
import { useApi, identityApiRef } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';

export interface PermissionState {
  allowed: boolean;
  loading: boolean;
}

export interface GitOpsPermissions {
  create: PermissionState;
  approve: PermissionState;
  override: PermissionState;
}

/** What the signed-in user may attempt on the entity (the backend enforces it anyway). */
export function useGitOpsPermissions(entityRef: string): GitOpsPermissions {
  const create = usePermission({
    permission: gitopsChangeCreatePermission,
    resourceRef: entityRef,
  });
  const approve = usePermission({
    permission: gitopsChangeApprovePermission,
    resourceRef: entityRef,
  });
  const override = usePermission({
    permission: gitopsChangeOverridePermission,
    resourceRef: entityRef,
  });
  return {
    create: { allowed: create.allowed, loading: create.loading },
    approve: { allowed: approve.allowed, loading: approve.loading },
    override: { allowed: override.allowed, loading: override.loading },
  };
}

/** The signed-in user's entity ref, e.g. `user:default/alice`. */
export function useUserRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const { value } = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  return value;
}
