import type { WriteBackSpec } from '../writeback/config';
import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { PolicyService } from '../policy';
import { ChangeStore } from '../store/ChangeStore';
import { ChangeExpiry } from './ChangeExpiry';
import { ChangeQueries } from './ChangeQueries';
import { ChangeService } from './ChangeService';
import { createChangeRouter } from './createChangeRouter';
import { EntityAccess } from './EntityAccess';
import { ChangePermissions, EntityLoader } from './ports';

export { EXPIRE_TASK_ID } from './ChangeExpiry';

/** Collaborators of the write side. @internal */
export interface ChangesOptions {
  store: ChangeStore;
  policy: PolicyService;
  /** Catalog entities as the caller sees them (visibility). */
  entities: EntityLoader;
  permissions: ChangePermissions;
  /**
   * Entity access built by the caller when other parts (verification) share it;
   * otherwise built here from `entities` and `permissions`.
   */
  access?: EntityAccess;
  logger: LoggerService;
  auditor?: AuditorService;
  /** A change became runnable (the execution runner's `kick`). */
  onApproved: (changeId: string) => void | Promise<void>;
  /**
   * The write-back an environment uses (from the execution config): fixed on
   * the change when it is created, shown to approvers, compared before it runs.
   */
  writeBackOf?: (
    pipeline: string,
    environment: string,
  ) => WriteBackSpec | undefined;
  now?: () => Date;
}

/** The write side's parts. @internal */
export interface Changes {
  service: ChangeService;
  queries: ChangeQueries;
  access: EntityAccess;
  expiry: ChangeExpiry;
}

/**
 * Builds the write side from its collaborators: entity access (visibility +
 * permissions), the state machine, the read routes' queries and expiry.
 *
 * @internal
 */
export function createChanges(options: ChangesOptions): Changes {
  const { store, logger, now } = options;
  const access =
    options.access ??
    EntityAccess.create({
      store,
      entities: options.entities,
      permissions: options.permissions,
    });
  const expiry = ChangeExpiry.create({
    store,
    logger,
    auditor: options.auditor,
    now,
  });
  const service = ChangeService.create({
    store,
    policy: options.policy,
    access,
    expiry,
    logger,
    onApproved: options.onApproved,
    writeBackOf: options.writeBackOf,
    now,
  });
  const queries = ChangeQueries.create({ store, access, now });
  return { service, queries, access, expiry };
}

/** The change routes over the write side. @internal */
export function createChangesRouter(
  changes: Changes,
  options: {
    httpAuth: HttpAuthService;
    userInfo: UserInfoService;
    auditor: AuditorService;
  },
): express.Router {
  return createChangeRouter({
    ...options,
    changes: changes.service,
    queries: changes.queries,
  });
}
