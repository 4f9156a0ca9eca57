/** The Kubernetes API slice: Secrets (Helm release storage), with its own bearer token. */
import type { Request, RequestHandler } from 'express';
import Router from 'express-promise-router';
import { KubeStatusError } from '../KubeSecrets';
import type { RouterDeps } from './deps';
import { bearer, q } from './params';

/** Whether a request belongs to the Kubernetes slice. */
export function isKubePath(req: Request): boolean {
  return (
    req.path === '/api/v1/secrets' || req.path.startsWith('/api/v1/namespaces/')
  );
}

export function kubeSecretsRouter(d: RouterDeps): RequestHandler {
  const kube = Router();
  kube.use((req, _res, next) => {
    const t = bearer(req);
    if (!t || t !== d.kubeToken)
      return next(new KubeStatusError(401, 'Unauthorized', 'Unauthorized'));
    return next();
  });
  kube.get('/api/v1/secrets', (req, res) => {
    res.json(d.kube.list(undefined, q(req, 'labelSelector')));
  });
  kube.get('/api/v1/namespaces/:ns/secrets', (req, res) => {
    res.json(d.kube.list(req.params.ns, q(req, 'labelSelector')));
  });
  kube.get('/api/v1/namespaces/:ns/secrets/:name', (req, res) => {
    res.json(d.kube.get(req.params.ns, req.params.name));
  });
  kube.post('/api/v1/namespaces/:ns/secrets', (req, res) => {
    res.status(201).json(d.kube.create(req.params.ns, req.body));
  });
  kube.put('/api/v1/namespaces/:ns/secrets/:name', (req, res) => {
    res.json(d.kube.replace(req.params.ns, req.params.name, req.body));
  });
  kube.delete('/api/v1/namespaces/:ns/secrets/:name', (req, res) => {
    res.json(d.kube.delete(req.params.ns, req.params.name));
  });
  return kube;
}
