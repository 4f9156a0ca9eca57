/**
 * Authentication of the Argo CD API and the emulator's per-user project
 * scopes, with Argo CD's existence hiding: without `project` an app the caller
 * may not see is a 403 like a missing one; with `project`, no rights there -> 403.
 */
import type { Response } from 'express';
import Router from 'express-promise-router';
import { argoErrors } from '../../logic/errors';
import type { RouterDeps } from './deps';
import { bearer, bodyOf, qAll, sessionCookie } from './params';

/** Project access of the caller of a request. */
export interface Rbac {
  /** Projects the caller may access; undefined = all. */
  scopeOf(res: Response): string[] | undefined;
  mayAccess(res: Response, project: string | undefined): boolean;
}

export function createRbac(d: RouterDeps): Rbac {
  const scopeOf = (res: Response) =>
    d.projectScopes?.[res.locals.user as string];
  return {
    scopeOf,
    mayAccess(res, project) {
      const allowed = scopeOf(res);
      return (
        !allowed ||
        (!!project && (allowed.includes('*') || allowed.includes(project)))
      );
    },
  };
}

/** Sets `res.locals.user` (or answers 401) and enforces the project scopes. */
export function authRouter(d: RouterDeps, rbac: Rbac) {
  const r = Router();
  r.use((req, res, next) => {
    res.locals.user = d.sessions.authenticate(bearer(req), sessionCookie(req));
    next();
  });
  r.use('/api/v1/applications/:name', (req, res, next) => {
    if (!rbac.scopeOf(res)) return next();
    const projects = [
      ...qAll(req, 'project'),
      ...(typeof bodyOf(req).project === 'string' ? [bodyOf(req).project] : []),
    ];
    if (projects.length > 1) return next();
    const project =
      projects.length === 1
        ? projects[0]
        : d.controller.store.projectOf(req.params.name);
    return next(
      rbac.mayAccess(res, project) ? undefined : argoErrors.permissionDenied(),
    );
  });
  r.use('/api/v1/projects/:name', (req, res, next) =>
    next(
      rbac.mayAccess(res, req.params.name)
        ? undefined
        : argoErrors.permissionDenied(),
    ),
  );
  return r;
}
