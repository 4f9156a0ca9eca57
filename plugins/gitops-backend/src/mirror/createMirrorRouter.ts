import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { ApplicationMirrors } from './ApplicationMirrors';

/**
 * `GET /mirror/status`: per Argo CD instance whether its mirror is live,
 * how many applications it holds (in full: bound) and their rough size,
 * reconnects, resyncs, malformed lines. Counts and our own messages only
 * (no application data, no upstream bodies); any signed-in user or service.
 *
 * @internal
 */
export function createMirrorRouter(options: {
  httpAuth: HttpAuthService;
  mirrors: ApplicationMirrors;
}): express.Router {
  const router = Router();
  router.get('/mirror/status', async (req, res) => {
    await options.httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({
      enabled: options.mirrors.enabled,
      items: options.mirrors.status(),
    });
  });
  return router;
}
