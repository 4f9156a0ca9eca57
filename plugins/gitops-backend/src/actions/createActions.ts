import { AuthService, UserInfoService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityGitOpsState,
  EnvironmentHistory,
} from '@internal/plugin-gitops-common';
import {
  ChangeCommands,
  createGitOpsOperations,
} from './createGitOpsOperations';
import { registerGitOpsActions } from './index';

/**
 * Registers the GitOps actions over the services the routes use (wired by
 * plugin.ts): the read side for environments and history, the audited
 * write side for changes.
 *
 * @internal
 */
export function createActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  userInfo: UserInfoService;
  catalog: CatalogService;
  state: {
    getEnvironments(entity: Entity): Promise<EntityGitOpsState>;
    getHistory(
      entity: Entity,
      environment: string,
    ): Promise<EnvironmentHistory>;
  };
  changes: ChangeCommands;
}): void {
  registerGitOpsActions(
    options.actionsRegistry,
    createGitOpsOperations(options),
  );
}
