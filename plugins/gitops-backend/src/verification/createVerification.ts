import {
  AuditorService,
  BackstageCredentials,
  DatabaseService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { gitopsVerificationSignOffPermission } from '@internal/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { EnvironmentStateReader, PolicySet } from '../policy';
import { ApplicationReader, VerificationService } from './VerificationService';
import { VerificationStore } from './VerificationStore';
import { createVerificationRouter } from './createVerificationRouter';

/**
 * Wiring of verification: the store, the service (also the policy's
 * `getVerificationFacts` port) and the routes.
 *
 * @internal
 */
export async function createVerification(options: {
  database: DatabaseService;
  policies: PolicySet;
  reader: Pick<EnvironmentStateReader, 'getEnvironments' | 'getHistory'>;
  argo: ApplicationReader;
  entity(entityRef: string, credentials: BackstageCredentials): Promise<Entity>;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auditor: AuditorService;
  logger: LoggerService;
  /** A decision was recorded for the entity (the tab's overview cache). */
  onDecided?: (entityRef: string) => void;
}): Promise<{ service: VerificationService; router: express.Router }> {
  const store = await VerificationStore.create({ database: options.database });
  const service = new VerificationService({
    store,
    policies: options.policies,
    reader: options.reader,
    argo: options.argo,
    entity: options.entity,
    async requireSignOffPermission(entityRef, credentials) {
      const [d] = await options.permissions.authorize(
        [
          {
            permission: gitopsVerificationSignOffPermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (d.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `decidedBy: you are not allowed '${gitopsVerificationSignOffPermission.name}' on ${entityRef}`,
        );
      }
    },
    logger: options.logger,
    onDecided: options.onDecided,
  });
  return {
    service,
    router: createVerificationRouter({ ...options, service }),
  };
}
