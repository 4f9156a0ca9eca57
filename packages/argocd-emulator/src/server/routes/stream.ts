/** GET /api/v1/stream/applications: newline-delimited watch events (initial ADDED, then changes). */
import Router from 'express-promise-router';
import { ArgoError, GrpcCode } from '../../logic/errors';
import type { Application } from '../../logic/types';
import type { RouterDeps } from './deps';
import type { Rbac } from './rbac';
import { q, qAll } from './params';

export function streamRouter(d: RouterDeps, rbac: Rbac) {
  const r = Router();
  const c = d.controller;
  r.get('/api/v1/stream/applications', (req, res) => {
    const projects = [...qAll(req, 'projects'), ...qAll(req, 'project')];
    const filters = {
      selector: q(req, 'selector'),
      projects,
      name: q(req, 'name') ?? q(req, 'applicationName'),
      repo: q(req, 'repo'),
      appNamespace: q(req, 'appNamespace'),
    };
    let initial: Application[];
    try {
      initial = c.views.list(filters);
    } catch (e) {
      const err =
        e instanceof ArgoError
          ? e
          : new ArgoError(GrpcCode.Internal, String(e));
      res.status(err.httpStatus).json(err.toBody());
      return;
    }
    res.status(200).setHeader('content-type', 'application/json');
    res.flushHeaders();
    const send = (type: string, application: unknown) =>
      res.write(`${JSON.stringify({ result: { type, application } })}\n`);
    for (const a of initial)
      if (rbac.mayAccess(res, a.spec.project)) send('ADDED', a);
    const unsubscribe = c.store.watch((name, type, namespace) => {
      if (filters.name && filters.name !== name) return;
      if (type === 'DELETED') {
        if (rbac.scopeOf(res)) return;
        if (filters.appNamespace && filters.appNamespace !== namespace) return;
        send('DELETED', { metadata: { name, namespace } });
        return;
      }
      if (!c.has(name)) return;
      for (const a of c.views.list({ ...filters, name }))
        if (rbac.mayAccess(res, a.spec.project)) send(type, a);
    });
    req.on('close', unsubscribe);
  });
  return r;
}
