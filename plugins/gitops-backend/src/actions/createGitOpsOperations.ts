import {
  BackstageCredentials,
  BackstageUserPrincipal,
  AuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ChangeList,
  ChangePreview,
  ChangeRequest,
  ChangeRequestDetail,
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import type { Caller } from '../changes/ports';
import {
  changeIdSchema,
  createChangeSchema,
  entityRefSchema,
  parseInput,
} from '../changes/schemas';
import { GitOpsOperations } from './ports';

/** The write side as the routes call it (audited behind these methods). @internal */
export interface ChangeCommands {
  create(
    body: ReturnType<typeof createChangeSchema.parse>,
    caller: Caller,
  ): Promise<ChangeRequest | ChangePreview>;
  cancel(id: string, caller: Caller, reason?: string): Promise<ChangeRequest>;
  get(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequestDetail>;
  pendingFor(caller: Caller): Promise<ChangeList>;
}

/**
 * The actions' operations on top of the services the routes use: the entity
 * is read from the catalog with the caller's credentials (what they cannot
 * see is "not found", as in the routes), inputs go through the routes' zod
 * schemas, and changes go through the same change commands.
 *
 * @internal
 */
export function createGitOpsOperations(options: {
  auth: Pick<AuthService, 'isPrincipal'>;
  userInfo: UserInfoService;
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  state: {
    getEnvironments(entity: Entity): Promise<EntityGitOpsState>;
    getHistory(
      entity: Entity,
      environment: string,
    ): Promise<EnvironmentHistory>;
  };
  changes: ChangeCommands;
}): GitOpsOperations {
  const { auth, userInfo, catalog, state, changes } = options;

  async function entity(ref: string, credentials: BackstageCredentials) {
    const entityRef = parseInput(entityRefSchema, ref, 'entityRef');
    const found = await catalog.getEntityByRef(entityRef, { credentials });
    if (!found) {
      throw new NotFoundError(
        `entityRef: no entity ${entityRef} in the catalog`,
      );
    }
    return found;
  }

  return {
    async caller(credentials) {
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          'caller: this action acts as a signed-in user; call it with user credentials',
        );
      }
      const info = await userInfo.getUserInfo(credentials);
      return {
        credentials:
          credentials as BackstageCredentials<BackstageUserPrincipal>,
        userEntityRef: info.userEntityRef,
        claims: info.ownershipEntityRefs,
      };
    },
    async getEnvironments(entityRef, credentials) {
      return state.getEnvironments(await entity(entityRef, credentials));
    },
    async getHistory(entityRef, environment, credentials) {
      return state.getHistory(
        await entity(entityRef, credentials),
        environment,
      );
    },
    async createChange(body, caller) {
      return changes.create(parseInput(createChangeSchema, body), caller);
    },
    async getChange(id, credentials) {
      return changes.get(
        parseInput(changeIdSchema, id, 'changeId'),
        credentials,
      );
    },
    async pendingApprovals(caller) {
      return changes.pendingFor(caller);
    },
    async cancelChange(id, caller, reason) {
      return changes.cancel(
        parseInput(changeIdSchema, id, 'changeId'),
        caller,
        reason,
      );
    },
  };
}
