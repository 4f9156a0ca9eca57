import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import { PolicySet } from '../policy/types';
import { createFleetCatalog } from './catalogEntities';
import { createFleetRouter } from './createFleetRouter';
import { FleetService } from './FleetService';
import { FleetChanges } from './ports';
import { EntityStateReader, createFleetStateSource } from './stateSource';

/**
 * Wiring of the fleet: catalog (as the caller) → read side (batched) → open
 * changes (one store read) → policy windows (pure) → `GET /fleet`.
 *
 * @internal
 */
export function createFleet(options: {
  httpAuth: HttpAuthService;
  catalog: Pick<CatalogService, 'queryEntities'>;
  /** The read side: `createFleetReadSide` (the tab's, without window reads). */
  state: EntityStateReader;
  changes: FleetChanges;
  policies: PolicySet;
  now?: () => Date;
}): { service: FleetService; router: express.Router } {
  const { policies } = options;
  const service = FleetService.create({
    catalog: createFleetCatalog(options.catalog),
    state: createFleetStateSource(options.state),
    changes: options.changes,
    windows: (pipeline, environment) =>
      policies.pipelines
        .get(pipeline)
        ?.environments.find(e => e.name === environment)?.windows,
    now: options.now,
  });
  return {
    service,
    router: createFleetRouter({ httpAuth: options.httpAuth, fleet: service }),
  };
}
