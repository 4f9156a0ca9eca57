/** /emulator/admin/*: faults, clock, broken tags, reconcile, load application, drift (off unless enabled). */
import Router from 'express-promise-router';
import { argoErrors } from '../../logic/errors';
import type { Application } from '../../logic/types';
import { Faults, validateFaults } from '../faults';
import type { RouterDeps } from './deps';
import { bearer, bodyOf, q } from './params';

export function adminRouter(d: RouterDeps) {
  const admin = Router();
  const c = d.controller;
  admin.use((req, _res, next) => {
    if (bearer(req) !== d.adminToken) return next(argoErrors.noSession());
    return next();
  });
  admin.get('/faults', (_req, res) => {
    res.json(d.faults());
  });
  admin.post('/faults', (req, res) => {
    let f: Faults;
    try {
      f = validateFaults(bodyOf(req));
    } catch (e) {
      throw argoErrors.invalidArgument((e as Error).message);
    }
    res.json(d.setFaults(f, q(req, 'replace') === 'true'));
  });
  admin.delete('/faults', (_req, res) => {
    res.json(d.setFaults({}, true));
  });
  const clock = () => ({
    now: d.controllerNow(),
    offsetMs: d.getClockOffset(),
  });
  admin.get('/clock', (_req, res) => {
    res.json(clock());
  });
  admin.post('/clock', (req, res) => {
    const b = bodyOf(req);
    if (b.offsetMs !== undefined) {
      if (typeof b.offsetMs !== 'number' || !Number.isFinite(b.offsetMs))
        throw argoErrors.invalidArgument('offsetMs must be a number');
      d.setClockOffset(b.offsetMs);
    } else if (b.now !== undefined) {
      const t = Date.parse(String(b.now));
      if (Number.isNaN(t))
        throw argoErrors.invalidArgument('now must be an RFC 3339 timestamp');
      d.setClockOffset(0);
      d.setClockOffset(t - new Date(d.controllerNow()).getTime());
    } else throw argoErrors.invalidArgument('body must have offsetMs or now');
    res.json(clock());
  });
  admin.get('/broken-tags', (_req, res) => {
    res.json({ tags: d.brokenTags() });
  });
  admin.put('/broken-tags', (req, res) => {
    const tags = bodyOf(req).tags;
    if (!Array.isArray(tags) || tags.some(t => typeof t !== 'string')) {
      throw argoErrors.invalidArgument('tags must be an array of strings');
    }
    d.setBrokenTags(tags);
    res.json({ tags: d.brokenTags() });
  });
  admin.post('/reconcile', async (_req, res) => {
    await c.reconcileAll();
    res.json({});
  });
  admin.post('/applications', async (req, res) => {
    const b = bodyOf(req) as Application;
    if (!b.metadata?.name)
      throw argoErrors.invalidArgument('metadata.name is required');
    res.json(await c.addApplication(b, { imported: true }));
  });
  admin.post('/applications/:name/drift', (req, res) => {
    const image = bodyOf(req).image;
    if (typeof image !== 'string' || !image)
      throw argoErrors.invalidArgument('image is required');
    c.live.driftImage(req.params.name, image);
    res.json({});
  });
  return admin;
}
