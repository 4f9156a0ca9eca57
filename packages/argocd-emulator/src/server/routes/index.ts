/**
 * HTTP surface: the Argo CD REST API (session, applications, operations,
 * stream, projects), the Kubernetes Secrets slice and the admin API.
 */
import express from 'express';
import cookieParser from 'cookie-parser';
import { argoErrors } from '../../logic/errors';
import { adminRouter } from './admin';
import { applicationsRouter } from './applications';
import type { RouterDeps } from './deps';
import { errorHandler } from './errors';
import { faultsMiddleware } from './faults';
import { isKubePath, kubeSecretsRouter } from './kubeSecrets';
import { operationsRouter } from './operations';
import { projectsRouter } from './projects';
import { authRouter, createRbac } from './rbac';
import { publicRouter, sessionRouter } from './session';
import { streamRouter } from './stream';
import { troubleshootingRouter } from './troubleshooting';

export type { RouterDeps } from './deps';

/** Builds the express app. @public */
export function createRouter(d: RouterDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');

  if (d.logRequest) {
    const log = d.logRequest;
    app.use((req, res, next) => {
      const t0 = Date.now();
      res.on('finish', () =>
        log(`${req.method} ${req.path} ${res.statusCode} ${Date.now() - t0}ms`),
      );
      next();
    });
  }
  app.use(faultsMiddleware(d.faults));
  app.use(express.json({ limit: '5mb', strict: false }));
  app.use(cookieParser());

  if (d.adminApi) app.use('/emulator/admin', adminRouter(d));
  app.use(publicRouter(d));

  const kube = kubeSecretsRouter(d);
  app.use((req, res, next) =>
    isKubePath(req) ? kube(req, res, next) : next(),
  );

  const rbac = createRbac(d);
  const api = express.Router();
  api.use(authRouter(d, rbac));
  api.use(sessionRouter(d, rbac));
  api.use(troubleshootingRouter(d)); // before applications: wraps its resource-tree
  api.use(applicationsRouter(d, rbac));
  api.use(streamRouter(d, rbac));
  api.use(operationsRouter(d));
  api.use(projectsRouter(d, rbac));
  app.use((req, res, next) =>
    req.path.startsWith('/api/') ? api(req, res, next) : next(),
  );

  app.use((_req, _res, next) => next(argoErrors.notFoundRoute()));
  app.use(errorHandler);
  return app;
}
