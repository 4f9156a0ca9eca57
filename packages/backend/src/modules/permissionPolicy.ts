import {
  UserInfoService,
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  gitopsChangeApprovePermission,
  gitopsChangeCreatePermission,
  gitopsChangeOverridePermission,
  gitopsLogsReadPermission,
  gitopsVerificationSignOffPermission,
} from '@internal/plugin-gitops-common';

/** Groups of the example organisation (examples/org.yaml). */
export const EXAMPLE_GROUPS = {
  /** May approve changes (the policy's approver refs say which changes). */
  approvers: 'group:default/platform-team',
  /** May request emergency overrides (and changes on any entity). */
  sre: 'group:default/sre',
  /** May sign off versions (the policy's `verification.signOff.groups` say where). */
  qa: 'group:default/qa',
};

/**
 * Example permission policy for the GitOps plugin:
 * - `gitops.change.create`: owners of the entity (conditional `isEntityOwner`,
 *   resolved by the catalog on the entity ref), and SRE on any entity;
 * - `gitops.change.approve`: members of platform-team (which changes they may
 *   decide is the promotion policy's approver list);
 * - `gitops.change.override`: members of sre;
 * - `gitops.logs.read` (pod logs, which may hold secrets): owners of the
 *   entity and SRE, like `gitops.change.create`;
 * - `gitops.verification.signoff`: members of qa (which environments they
 *   sign off is the promotion policy's `verification.signOff.groups`);
 * - everything else (reading included): allowed, as the allow-all policy did.
 *
 * Permissions say who may attempt an action; the promotion policy in
 * app-config says whether the change may happen now.
 */
export class GitopsExamplePermissionPolicy implements PermissionPolicy {
  readonly #userInfo: Pick<UserInfoService, 'getUserInfo'>;

  constructor(userInfo: Pick<UserInfoService, 'getUserInfo'>) {
    this.#userInfo = userInfo;
  }

  async #ownership(user?: PolicyQueryUser): Promise<string[]> {
    if (!user) return [];
    const info = await this.#userInfo.getUserInfo(user.credentials);
    return info.ownershipEntityRefs;
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const ownership = await this.#ownership(user);
    const claims = ownership.map(r => r.toLocaleLowerCase('en-US'));
    const member = (group: string) => claims.includes(group);

    if (isPermission(request.permission, gitopsChangeOverridePermission)) {
      return {
        result: member(EXAMPLE_GROUPS.sre)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (isPermission(request.permission, gitopsVerificationSignOffPermission)) {
      return {
        result: member(EXAMPLE_GROUPS.qa)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (isPermission(request.permission, gitopsChangeApprovePermission)) {
      return {
        result: member(EXAMPLE_GROUPS.approvers)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      (isPermission(request.permission, gitopsChangeCreatePermission) ||
        isPermission(request.permission, gitopsLogsReadPermission)) &&
      isResourcePermission(request.permission, 'catalog-entity')
    ) {
      if (member(EXAMPLE_GROUPS.sre)) {
        return { result: AuthorizeResult.ALLOW };
      }
      if (!claims.length) {
        return { result: AuthorizeResult.DENY };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: ownership }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link GitopsExamplePermissionPolicy} in the permission backend. */
export const gitopsPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new GitopsExamplePermissionPolicy(userInfo));
      },
    });
  },
});
