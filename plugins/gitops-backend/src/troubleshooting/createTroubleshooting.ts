import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { ArgoCdClient } from '../argocd/ArgoCdClient';
import { GitOpsStateService } from '../state/GitOpsStateService';
import { createTroubleshootingRouter } from './createTroubleshootingRouter';
import { LogLimits } from './logStream';
import { TroubleshootingService } from './TroubleshootingService';

/**
 * Builds the troubleshooting side (service + routes) from the plugin's
 * collaborators. The permission `gitops.logs.read` is registered with the
 * other GitOps permissions (gitops-common `gitopsPermissions`).
 *
 * @internal
 */
export function createTroubleshooting(options: {
  client: ArgoCdClient;
  /** The read side: troubleshooting locates and binds applications exactly as it does. */
  state: Pick<GitOpsStateService, 'locateEnvironment'>;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  permissions: PermissionsService;
  limits?: Partial<LogLimits>;
}): { service: TroubleshootingService; router: express.Router } {
  const service = TroubleshootingService.create({
    client: options.client,
    locate: (entity, env) => options.state.locateEnvironment(entity, env),
    limits: options.limits,
  });
  const router = createTroubleshootingRouter({
    httpAuth: options.httpAuth,
    catalog: options.catalog,
    permissions: options.permissions,
    troubleshooting: service,
  });
  return { service, router };
}
