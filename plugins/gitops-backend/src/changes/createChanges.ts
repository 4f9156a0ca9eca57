import {
  AuditorService,
  AuthService,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  SchedulerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { gitopsPermissions } from '@internal/plugin-gitops-common';
import express from 'express';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { GitopsConfig } from '../config/types';
import { PolicySet } from '../policy';
import { ChangeService } from './ChangeService';
import { createChangeRouter } from './createChangeRouter';
import { DatabaseChangeStore } from './DatabaseChangeStore';
import { EntityPermissions } from './EntityPermissions';
import { EnvironmentStateReader } from './ports';
import {
  createEntityLoader,
  createEnvironmentStateReader,
} from './stateReader';

/** Id of the scheduled task that expires overdue change requests. @internal */
export const EXPIRE_TASK_ID = 'gitops-expire-changes';

/**
 * Builds the write side from the config model: migrates the store,
 * registers the permissions, schedules expiry, and returns the service and
 * its router.
 *
 * @internal
 */
export async function createChanges(options: {
  gitopsConfig: GitopsConfig;
  database: DatabaseService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  state: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  client: ArgoCdClient;
}): Promise<{
  service: ChangeService;
  router: express.Router;
  store: DatabaseChangeStore;
  policies: PolicySet;
}> {
  const policies = options.gitopsConfig.policies;
  options.permissionsRegistry.addPermissions(gitopsPermissions);
  const store = await DatabaseChangeStore.create({
    database: options.database,
  });
  const service = ChangeService.create({
    store,
    policies,
    reader: createEnvironmentStateReader({
      state: options.state,
      client: options.client,
    }),
    entities: createEntityLoader(options.catalog),
    permissions: EntityPermissions.create(options.permissions),
    logger: options.logger.child({ component: 'gitops-changes' }),
    auditor: options.auditor,
    serviceCredentials: () => options.auth.getOwnServiceCredentials(),
  });
  await options.scheduler.scheduleTask({
    id: EXPIRE_TASK_ID,
    frequency: { minutes: 1 },
    timeout: { minutes: 1 },
    initialDelay: { seconds: 10 },
    fn: async () => {
      const n = await service.expireOverdue();
      if (n)
        options.logger.info(
          `expired ${n} change request(s) past their approval deadline`,
        );
    },
  });
  const router = createChangeRouter({
    httpAuth: options.httpAuth,
    userInfo: options.userInfo,
    auditor: options.auditor,
    changes: service,
  });
  return { service, router, store, policies };
}
