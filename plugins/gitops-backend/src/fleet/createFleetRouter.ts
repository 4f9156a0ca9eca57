import { HttpAuthService } from '@backstage/backend-plugin-api';
import { gitopsApiPaths } from '@internal/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { FleetService } from './FleetService';
import { parseFleetQuery } from './query';

/**
 * `GET /fleet?owner=&system=&state=` → `FleetResponse`: every entity ×
 * environment the caller can see (user or service credentials). A bad query
 * is a 400 naming the field.
 *
 * @internal
 */
export function createFleetRouter(options: {
  httpAuth: HttpAuthService;
  fleet: FleetService;
}): express.Router {
  const { httpAuth, fleet } = options;
  const router = Router();
  router.get(gitopsApiPaths.fleet(), async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseFleetQuery(req.query);
    res.json(await fleet.list(query, credentials));
  });
  return router;
}
