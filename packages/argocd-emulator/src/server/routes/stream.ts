/**
 * GET /api/v1/stream/applications: newline-delimited watch events, as
 * Argo CD's ApplicationService Watch serves them:
 * - filters: `name` (with `appNamespace`), `selector`, `projects`/`project`, `repo`, `appNamespace`;
 * - without `resourceVersion`, or with `name`, every matching application
 *   first comes as ADDED (sorted by namespace/name); with `resourceVersion`
 *   only changes from then on, and none whose application's resourceVersion
 *   is lower (an unparsable version counts as 0). Nothing missed before the
 *   stream was opened is replayed (Argo CD keeps no event history);
 * - `fields` projects every message (`result.type`, `result.application.…`, `-` to exclude);
 * - DELETED carries the object as it was, at the deletion's resourceVersion;
 * - a stream the server can no longer serve ends with `{"error": …}` (runtimeStreamError).
 * While the `down` fault is on, open streams are cut like new connections.
 */
import Router from 'express-promise-router';
import { parseFields, projectFields } from '../../logic/fields';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '../../logic/labelSelector';
import { ArgoError, GrpcCode } from '../../logic/errors';
import type { Application } from '../../logic/types';
import type { RouterDeps } from './deps';
import type { Rbac } from './rbac';
import { q, qAll } from './params';

/** How often open streams check the `down` fault. */
const FAULT_POLL_MS = 100;

function minVersionOf(raw: string | undefined): number {
  if (!raw || !/^-?\d+$/.test(raw)) return 0;
  return Number(raw);
}

function qualifiedName(a: Application): string {
  return `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
}

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
    const resourceVersion = q(req, 'resourceVersion');
    const minVersion = minVersionOf(resourceVersion);
    const fields = parseFields(q(req, 'fields'));
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
    const write = (message: unknown) =>
      res.write(`${JSON.stringify(projectFields(message, fields))}\n`);
    const send = (type: string, a: Application) => {
      const rv = Number(a.metadata.resourceVersion);
      if (Number.isFinite(rv) && rv < minVersion) return;
      write({ result: { type, application: a } });
    };
    if (!resourceVersion || filters.name) {
      for (const a of [...initial].sort((x, y) =>
        qualifiedName(x).localeCompare(qualifiedName(y)),
      ))
        if (rbac.mayAccess(res, a.spec.project)) send('ADDED', a);
    }
    const selector = filters.selector
      ? parseLabelSelector(filters.selector)
      : undefined;
    const unsubscribe = c.store.watch((name, type, namespace, last) => {
      if (filters.name && filters.name !== name) return;
      if (type === 'DELETED') {
        if (filters.appNamespace && filters.appNamespace !== namespace) return;
        if (!last) {
          if (rbac.scopeOf(res)) return;
          write({
            result: {
              type: 'DELETED',
              application: { metadata: { name, namespace } },
            },
          });
          return;
        }
        // the deleted object, filtered like every other event
        if (projects.length && !projects.includes(last.spec.project)) return;
        if (selector && !matchesLabelSelector(selector, last.metadata.labels))
          return;
        if (!rbac.mayAccess(res, last.spec.project)) return;
        send('DELETED', last);
        return;
      }
      if (!c.has(name)) return;
      for (const a of c.views.list({ ...filters, name }))
        if (rbac.mayAccess(res, a.spec.project)) send(type, a);
    });
    const faults = setInterval(() => {
      if (d.faults().down) req.socket.destroy();
    }, FAULT_POLL_MS);
    req.on('close', () => {
      clearInterval(faults);
      unsubscribe();
    });
  });
  return r;
}
