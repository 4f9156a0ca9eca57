/** Operations on an application: sync, rollback, terminate. */
import Router from 'express-promise-router';
import {
  parseBody,
  rollbackRequestSchema,
  syncRequestSchema,
} from '../requestSchemas';
import type { RouterDeps } from './deps';
import { scope } from './params';

export function operationsRouter(d: RouterDeps) {
  const r = Router();
  const ops = d.controller.operations;
  r.post('/api/v1/applications/:name/sync', async (req, res) => {
    const b = parseBody(syncRequestSchema, req.body, 'ApplicationSyncRequest');
    res.json(await ops.sync(req.params.name, b, res.locals.user));
  });
  r.post('/api/v1/applications/:name/rollback', async (req, res) => {
    const b = parseBody(
      rollbackRequestSchema,
      req.body,
      'ApplicationRollbackRequest',
    );
    res.json(await ops.rollback(req.params.name, b, res.locals.user));
  });
  r.delete('/api/v1/applications/:name/operation', (req, res) => {
    ops.terminate(req.params.name, scope(req));
    res.json({});
  });
  return r;
}
