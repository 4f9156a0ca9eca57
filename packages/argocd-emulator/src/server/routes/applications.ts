/** /api/v1/applications: list, create, get (refresh), update, patch, delete and the read endpoints below an app. */
import Router from 'express-promise-router';
import { argoErrors } from '../../logic/errors';
import {
  applyJsonPatch,
  applyMergePatch,
  JsonPatchError,
} from '../../logic/jsonPatch';
import type { Application } from '../../logic/types';
import { parseBody, patchRequestSchema } from '../requestSchemas';
import type { RouterDeps } from './deps';
import type { Rbac } from './rbac';
import { bodyOf, q, qAll, scope } from './params';
import { parseFields, projectFields } from '../../logic/fields';

export function applicationsRouter(d: RouterDeps, rbac: Rbac) {
  const r = Router();
  const c = d.controller;
  const { views, writer, queries } = c;

  r.get('/api/v1/applications', (req, res) => {
    const projects = [...qAll(req, 'projects'), ...qAll(req, 'project')];
    const items = views
      .listAsStored({
        selector: q(req, 'selector'),
        projects,
        name: q(req, 'name'),
        repo: q(req, 'repo'),
        appNamespace: q(req, 'appNamespace'),
      })
      .filter(a => rbac.mayAccess(res, a.spec.project)); // apps the caller may not get are dropped silently
    // `fields` projects the list like the watch (`metadata.resourceVersion`, `items.…`).
    res.json(
      projectFields(
        { metadata: { resourceVersion: String(c.store.rv) }, items },
        parseFields(q(req, 'fields')),
      ),
    );
  });
  r.post('/api/v1/applications', async (req, res) => {
    res.json(
      await writer.create(
        bodyOf(req) as Application,
        q(req, 'upsert') === 'true',
      ),
    );
  });
  r.get('/api/v1/applications/:name', async (req, res) => {
    const s = scope(req);
    const refresh = q(req, 'refresh');
    views.view(req.params.name, s); // RBAC / existence first
    if (refresh !== undefined)
      await c.loop.refresh(req.params.name, s, refresh === 'hard');
    res.json(views.view(req.params.name, s));
  });
  r.put('/api/v1/applications/:name', async (req, res) => {
    res.json(
      await writer.putApp(
        req.params.name,
        scope(req),
        bodyOf(req) as Application,
      ),
    );
  });
  r.delete('/api/v1/applications/:name', (req, res) => {
    writer.delete(req.params.name, scope(req));
    res.json({});
  });
  r.patch('/api/v1/applications/:name', async (req, res) => {
    const b = bodyOf(req);
    const s = {
      appNamespace: b.appNamespace ?? q(req, 'appNamespace'),
      project: b.project ?? q(req, 'project'),
    };
    const patchType = b.patchType ?? '';
    if (patchType !== '' && patchType !== 'json' && patchType !== 'merge')
      throw argoErrors.patchTypeUnsupported(String(patchType));
    parseBody(patchRequestSchema, b, 'ApplicationPatchRequest');
    let patch: unknown;
    try {
      patch = JSON.parse(b.patch);
    } catch (e) {
      throw argoErrors.invalidArgument(
        `error unmarshaling patch: ${(e as Error).message}`,
      );
    }
    const patched = await writer.patch(req.params.name, s, current => {
      try {
        return (
          patchType === 'merge'
            ? applyMergePatch(current, patch)
            : applyJsonPatch(current, patch)
        ) as Application;
      } catch (e) {
        if (e instanceof JsonPatchError)
          throw argoErrors.invalidArgument(
            `error applying patch: ${e.message}`,
          );
        throw e;
      }
    });
    res.json(patched);
  });
  r.put('/api/v1/applications/:name/spec', async (req, res) => {
    res.json(await writer.putSpec(req.params.name, scope(req), req.body));
  });
  r.get('/api/v1/applications/:name/managed-resources', (req, res) => {
    res.json(
      queries.managedResources(req.params.name, scope(req), {
        namespace: q(req, 'namespace'),
        name: q(req, 'name'),
        version: q(req, 'version'),
        group: q(req, 'group'),
        kind: q(req, 'kind'),
      }),
    );
  });
  r.get('/api/v1/applications/:name/resource-tree', (req, res) => {
    res.json(queries.resourceTree(req.params.name, scope(req)));
  });
  r.get('/api/v1/applications/:name/manifests', async (req, res) => {
    res.json(
      await queries.manifests(req.params.name, scope(req), q(req, 'revision')),
    );
  });
  r.get(
    '/api/v1/applications/:name/revisions/:revision/metadata',
    async (req, res) => {
      res.json(
        await queries.revisionMetadata(
          req.params.name,
          scope(req),
          req.params.revision,
          q(req, 'sourceIndex') === undefined
            ? undefined
            : Number(q(req, 'sourceIndex')),
        ),
      );
    },
  );
  r.get('/api/v1/applications/:name/syncwindows', (req, res) => {
    res.json(queries.syncWindows(req.params.name, scope(req)));
  });
  r.get('/api/v1/applications/:name/events', (req, res) => {
    views.view(req.params.name, scope(req));
    res.json({ metadata: {}, items: [] });
  });
  return r;
}
