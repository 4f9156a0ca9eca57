/** /api/v1/projects: list, get, active sync windows, create (upsert), update. */
import Router from 'express-promise-router';
import { ArgoError, argoErrors, GrpcCode } from '../../logic/errors';
import { validateWindow } from '../../logic/windows';
import type { AppProject } from '../state/types';
import type { RouterDeps } from './deps';
import type { Rbac } from './rbac';
import { bodyOf } from './params';

function validateProject(p: AppProject) {
  if (!p?.metadata?.name)
    throw argoErrors.invalidArgument('project name is required');
  for (const w of p.spec?.syncWindows ?? []) {
    try {
      validateWindow(w);
    } catch (e) {
      throw argoErrors.invalidArgument((e as Error).message);
    }
  }
}

export function projectsRouter(d: RouterDeps, rbac: Rbac) {
  const r = Router();
  const c = d.controller;
  const projects = c.projects;
  const projectOr404 = (name: string) => {
    const p = projects.get(name);
    if (!p) throw argoErrors.projectNotFound(name);
    return p;
  };
  r.get('/api/v1/projects', (_req, res) => {
    res.json({
      metadata: { resourceVersion: String(c.store.rv) },
      items: projects.list().filter(p => rbac.mayAccess(res, p.metadata.name)),
    });
  });
  r.get('/api/v1/projects/:name', (req, res) => {
    res.json(projectOr404(req.params.name));
  });
  r.get('/api/v1/projects/:name/syncwindows', (req, res) => {
    projectOr404(req.params.name);
    const windows = projects.activeWindows(req.params.name);
    res.json(windows.length ? { windows } : {});
  });
  r.post('/api/v1/projects', (req, res) => {
    const p = bodyOf(req).project as AppProject;
    validateProject(p);
    if (projects.get(p.metadata.name) && bodyOf(req).upsert !== true) {
      throw new ArgoError(
        GrpcCode.InvalidArgument,
        'existing project spec is different, use upsert flag to force update',
      );
    }
    res.json(projects.upsert(p));
  });
  r.put('/api/v1/projects/:name', (req, res) => {
    const p = bodyOf(req).project as AppProject;
    validateProject(p);
    if (p.metadata.name !== req.params.name)
      throw argoErrors.invalidArgument(
        'project name does not match the request',
      );
    projectOr404(req.params.name);
    res.json(projects.upsert(p));
  });
  return r;
}
