/** HTTP surface: Argo CD REST API, the Kubernetes Secrets slice and the admin API. */
import express, { NextFunction, Request, Response } from 'express';
import { ArgoError, argoErrors, GrpcCode } from '../logic/errors';
import {
  applyJsonPatch,
  applyMergePatch,
  JsonPatchError,
} from '../logic/jsonPatch';
import { validateWindow } from '../logic/windows';
import type { Controller, AppProject } from './Controller';
import type { SessionManager } from './auth';
import { KubeSecrets, KubeStatusError } from './KubeSecrets';
import { Faults, validateFaults } from './faults';
import {
  parseBody,
  patchRequestSchema,
  rollbackRequestSchema,
  syncRequestSchema,
} from './requestSchemas';
import type { Application } from '../logic/types';

/** What the router needs. @public */
export interface RouterDeps {
  controller: Controller;
  sessions: SessionManager;
  kube: KubeSecrets;
  kubeToken: string;
  faults: () => Faults;
  setFaults: (f: Faults, replace: boolean) => Faults;
  adminApi: boolean;
  adminToken: string;
  setClockOffset: (ms: number) => number;
  getClockOffset: () => number;
  controllerNow: () => string;
  /** Image tags that end Degraded (besides the `broken` substring rule). */
  brokenTags: () => string[];
  setBrokenTags: (tags: string[]) => void;
  /** Called once per finished request (method, path without query, status, ms); never sees headers or bodies. */
  logRequest?: (line: string) => void;
  /** username -> projects the user may access (`*` = all); users not listed may access everything. */
  projectScopes?: Record<string, string[]>;
  /** Known accounts (for POST /api/v1/account/{name}/token). */
  accounts: () => string[];
  version: string;
}

type Handler = (req: Request, res: Response) => Promise<unknown> | unknown;

function wrap(fn: Handler) {
  return (req: Request, res: Response, next: NextFunction) => {
    Promise.resolve()
      .then(() => fn(req, res))
      .then(body => {
        if (!res.headersSent && body !== undefined) res.status(200).json(body);
      })
      .catch(next);
  };
}

function q(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return v === undefined ? undefined : String(v);
}

function qAll(req: Request, name: string): string[] {
  const v = req.query[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

function scope(req: Request) {
  const projects = qAll(req, 'project');
  return {
    appNamespace: q(req, 'appNamespace'),
    project: projects.length > 1 ? projects : projects[0],
  };
}

function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

function sleep(ms: number) {
  return new Promise(r => setTimeout(r, ms));
}

function bodyOf(req: Request): Record<string, any> {
  return req.body && typeof req.body === 'object' ? req.body : {};
}

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

  // ---------------------------------------------------------------- faults
  app.use((req, res, next) => {
    if (req.path.startsWith('/emulator/admin')) return next();
    const f = d.faults();
    if (f.down) {
      req.socket.destroy();
      return undefined;
    }
    const delay =
      (f.latencyMs ?? 0) + (f.jitterMs ? Math.random() * f.jitterMs : 0);
    const proceed = () => {
      if (f.errorRate && Math.random() < f.errorRate) {
        if (
          req.path.startsWith('/api/v1/namespaces') ||
          req.path === '/api/v1/secrets'
        ) {
          res
            .status(503)
            .json(
              new KubeStatusError(
                503,
                'ServiceUnavailable',
                'emulated fault: the server is currently unable to handle the request',
              ).toBody(),
            );
        } else {
          const e = new ArgoError(
            GrpcCode.Unavailable,
            'emulated fault: connection error: desc = "transport: error while dialing"',
          );
          res.status(e.httpStatus).json(e.toBody());
        }
        return;
      }
      next();
    };
    if (delay > 0) sleep(delay).then(proceed);
    else proceed();
    return undefined;
  });

  app.use(express.json({ limit: '5mb', strict: false }));

  // ---------------------------------------------------------------- admin API (off unless enabled)
  if (d.adminApi) {
    const admin = express.Router();
    admin.use((req, _res, next) => {
      const t = bearer(req);
      if (t !== d.adminToken) return next(argoErrors.noSession());
      return next();
    });
    admin.get(
      '/faults',
      wrap(() => d.faults()),
    );
    admin.post(
      '/faults',
      wrap(req => {
        let f: Faults;
        try {
          f = validateFaults(bodyOf(req));
        } catch (e) {
          throw argoErrors.invalidArgument((e as Error).message);
        }
        return d.setFaults(f, q(req, 'replace') === 'true');
      }),
    );
    admin.delete(
      '/faults',
      wrap(() => d.setFaults({}, true)),
    );
    admin.get(
      '/clock',
      wrap(() => ({ now: d.controllerNow(), offsetMs: d.getClockOffset() })),
    );
    admin.post(
      '/clock',
      wrap(req => {
        const b = bodyOf(req);
        if (b.offsetMs !== undefined) {
          if (typeof b.offsetMs !== 'number' || !Number.isFinite(b.offsetMs))
            throw argoErrors.invalidArgument('offsetMs must be a number');
          d.setClockOffset(b.offsetMs);
        } else if (b.now !== undefined) {
          const t = Date.parse(String(b.now));
          if (Number.isNaN(t))
            throw argoErrors.invalidArgument(
              'now must be an RFC 3339 timestamp',
            );
          d.setClockOffset(0);
          d.setClockOffset(t - new Date(d.controllerNow()).getTime());
        } else
          throw argoErrors.invalidArgument('body must have offsetMs or now');
        return { now: d.controllerNow(), offsetMs: d.getClockOffset() };
      }),
    );
    admin.get(
      '/broken-tags',
      wrap(() => ({ tags: d.brokenTags() })),
    );
    admin.put(
      '/broken-tags',
      wrap(req => {
        const tags = bodyOf(req).tags;
        if (!Array.isArray(tags) || tags.some(t => typeof t !== 'string')) {
          throw argoErrors.invalidArgument('tags must be an array of strings');
        }
        d.setBrokenTags(tags);
        return { tags: d.brokenTags() };
      }),
    );
    admin.post(
      '/reconcile',
      wrap(async () => {
        await d.controller.reconcileAll();
        return {};
      }),
    );
    admin.post(
      '/applications',
      wrap(async req => {
        const b = bodyOf(req) as Application;
        if (!b.metadata?.name)
          throw argoErrors.invalidArgument('metadata.name is required');
        return d.controller.addApplication(b, { imported: true });
      }),
    );
    admin.post(
      '/applications/:name/drift',
      wrap(req => {
        const image = bodyOf(req).image;
        if (typeof image !== 'string' || !image)
          throw argoErrors.invalidArgument('image is required');
        d.controller.driftImage(req.params.name, image);
        return {};
      }),
    );
    app.use('/emulator/admin', admin);
  }

  // ---------------------------------------------------------------- public
  app.get(
    '/api/version',
    wrap(() => ({
      Version: d.version,
      BuildDate: '2026-01-01T00:00:00Z',
      GitCommit: '109ca7ca71139e514114499d294a492e7910a965',
      GitTag: d.version.split('+')[0],
      GitTreeState: 'clean',
      GoVersion: 'go1.25.0',
      Compiler: 'gc',
      Platform: 'linux/amd64',
      ExtraBuildInfo: 'argocd-emulator',
    })),
  );
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });

  app.post(
    '/api/v1/session',
    wrap((req, res) => {
      const b = bodyOf(req);
      let token: string;
      if (b.token) {
        d.sessions.authenticate(String(b.token), undefined);
        token = String(b.token);
      } else {
        token = d.sessions.login(b.username, b.password);
      }
      res.cookie('argocd.token', token, {
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
      });
      return { token };
    }),
  );

  // ---------------------------------------------------------------- Kubernetes slice
  const kube = express.Router();
  kube.use((req, _res, next) => {
    const t = bearer(req);
    if (!t || t !== d.kubeToken)
      return next(new KubeStatusError(401, 'Unauthorized', 'Unauthorized'));
    return next();
  });
  kube.get(
    '/api/v1/secrets',
    wrap(req => d.kube.list(undefined, q(req, 'labelSelector'))),
  );
  kube.get(
    '/api/v1/namespaces/:ns/secrets',
    wrap(req => d.kube.list(req.params.ns, q(req, 'labelSelector'))),
  );
  kube.get(
    '/api/v1/namespaces/:ns/secrets/:name',
    wrap(req => d.kube.get(req.params.ns, req.params.name)),
  );
  kube.post(
    '/api/v1/namespaces/:ns/secrets',
    wrap((req, res) => {
      res.status(201).json(d.kube.create(req.params.ns, req.body));
    }),
  );
  kube.put(
    '/api/v1/namespaces/:ns/secrets/:name',
    wrap(req => d.kube.replace(req.params.ns, req.params.name, req.body)),
  );
  kube.delete(
    '/api/v1/namespaces/:ns/secrets/:name',
    wrap(req => d.kube.delete(req.params.ns, req.params.name)),
  );
  app.use((req, res, next) => {
    if (
      req.path === '/api/v1/secrets' ||
      req.path.startsWith('/api/v1/namespaces/')
    )
      return kube(req, res, next);
    return next();
  });

  // ---------------------------------------------------------------- Argo CD (authenticated)
  const api = express.Router();
  api.use((req, res, next) => {
    try {
      res.locals.user = d.sessions.authenticate(
        bearer(req),
        cookie(req, 'argocd.token'),
      );
      next();
    } catch (e) {
      next(e);
    }
  });
  const c = d.controller;
  const scopeOf = (res: Response): string[] | undefined =>
    d.projectScopes?.[res.locals.user as string];
  const mayAccess = (res: Response, project: string | undefined) => {
    const allowed = scopeOf(res);
    return (
      !allowed ||
      (!!project && (allowed.includes('*') || allowed.includes(project)))
    );
  };

  // RBAC with Argo CD's existence hiding: without `project` an app the caller may
  // not see is a 403 like a missing one; with `project`, no rights there -> 403.
  api.use('/api/v1/applications/:name', (req, res, next) => {
    if (!scopeOf(res)) return next();
    const projects = [
      ...qAll(req, 'project'),
      ...(typeof bodyOf(req).project === 'string' ? [bodyOf(req).project] : []),
    ];
    if (projects.length > 1) return next();
    if (projects.length === 1)
      return next(
        mayAccess(res, projects[0]) ? undefined : argoErrors.permissionDenied(),
      );
    return next(
      mayAccess(res, c.projectOf(req.params.name))
        ? undefined
        : argoErrors.permissionDenied(),
    );
  });
  api.use('/api/v1/projects/:name', (req, res, next) =>
    next(
      mayAccess(res, req.params.name)
        ? undefined
        : argoErrors.permissionDenied(),
    ),
  );

  api.post(
    '/api/v1/account/:name/token',
    wrap((req, res) => {
      const name = req.params.name;
      if (!d.accounts().includes(name))
        throw new ArgoError(
          GrpcCode.NotFound,
          `account '${name}' does not exist`,
        );
      if (name !== res.locals.user && scopeOf(res))
        throw argoErrors.permissionDenied();
      const expiresIn = Number(bodyOf(req).expiresIn ?? 0);
      if (!Number.isInteger(expiresIn) || expiresIn < 0)
        throw argoErrors.invalidArgument(
          'expiresIn must be a non-negative number of seconds',
        );
      return {
        token: d.sessions.issue(`${name}:apiKey`, expiresIn || undefined),
      };
    }),
  );

  api.delete(
    '/api/v1/session',
    wrap((req, res) => {
      const t = bearer(req) ?? cookie(req, 'argocd.token');
      if (t) d.sessions.revoke(t);
      res.clearCookie('argocd.token', { path: '/' });
      return {};
    }),
  );
  api.get(
    '/api/v1/session/userinfo',
    wrap((_req, res) => ({
      loggedIn: true,
      username: res.locals.user,
      iss: 'argocd',
      groups: [],
    })),
  );

  api.get(
    '/api/v1/applications',
    wrap((req, res) => {
      const projects = [...qAll(req, 'projects'), ...qAll(req, 'project')];
      const items = c
        .list({
          selector: q(req, 'selector'),
          projects,
          name: q(req, 'name'),
          repo: q(req, 'repo'),
          appNamespace: q(req, 'appNamespace'),
        })
        .filter(a => mayAccess(res, a.spec.project)); // apps the caller may not get are dropped silently
      return { metadata: { resourceVersion: c.resourceVersion }, items };
    }),
  );
  api.get('/api/v1/stream/applications', (req, res) => {
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
      initial = c.list(filters);
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
      if (mayAccess(res, a.spec.project)) send('ADDED', a);
    const unsubscribe = c.watch((name, type) => {
      if (filters.name && filters.name !== name) return;
      if (type === 'DELETED') {
        if (scopeOf(res)) return;
        send('DELETED', { metadata: { name, namespace: c.namespace } });
        return;
      }
      if (!c.has(name)) return;
      for (const a of c.list({ ...filters, name }))
        if (mayAccess(res, a.spec.project)) send(type, a);
    });
    req.on('close', unsubscribe);
  });
  api.post(
    '/api/v1/applications',
    wrap(req =>
      c.create(bodyOf(req) as Application, q(req, 'upsert') === 'true'),
    ),
  );
  api.get(
    '/api/v1/applications/:name',
    wrap(async req => {
      const s = scope(req);
      const refresh = q(req, 'refresh');
      c.view(req.params.name, s); // RBAC / existence first
      if (refresh !== undefined)
        await c.refresh(req.params.name, s, refresh === 'hard');
      return c.view(req.params.name, s);
    }),
  );
  api.put(
    '/api/v1/applications/:name',
    wrap(req =>
      c.putApp(req.params.name, scope(req), bodyOf(req) as Application),
    ),
  );
  api.delete(
    '/api/v1/applications/:name',
    wrap(req => {
      c.delete(req.params.name, scope(req));
      return {};
    }),
  );
  api.patch(
    '/api/v1/applications/:name',
    wrap(req => {
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
      return c.patch(req.params.name, s, current => {
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
    }),
  );
  api.put(
    '/api/v1/applications/:name/spec',
    wrap(req => c.putSpec(req.params.name, scope(req), req.body)),
  );
  api.post(
    '/api/v1/applications/:name/sync',
    wrap(async (req, res) => {
      const b = parseBody(
        syncRequestSchema,
        req.body,
        'ApplicationSyncRequest',
      );
      return c.sync(req.params.name, b, res.locals.user);
    }),
  );
  api.post(
    '/api/v1/applications/:name/rollback',
    wrap(async (req, res) => {
      const b = parseBody(
        rollbackRequestSchema,
        req.body,
        'ApplicationRollbackRequest',
      );
      return c.rollback(req.params.name, b, res.locals.user);
    }),
  );
  api.delete(
    '/api/v1/applications/:name/operation',
    wrap(req => {
      c.terminate(req.params.name, scope(req));
      return {};
    }),
  );
  api.get(
    '/api/v1/applications/:name/managed-resources',
    wrap(req =>
      c.managedResources(req.params.name, scope(req), {
        namespace: q(req, 'namespace'),
        name: q(req, 'name'),
        version: q(req, 'version'),
        group: q(req, 'group'),
        kind: q(req, 'kind'),
      }),
    ),
  );
  api.get(
    '/api/v1/applications/:name/resource-tree',
    wrap(req => c.resourceTree(req.params.name, scope(req))),
  );
  api.get(
    '/api/v1/applications/:name/manifests',
    wrap(req => c.manifests(req.params.name, scope(req), q(req, 'revision'))),
  );
  api.get(
    '/api/v1/applications/:name/revisions/:revision/metadata',
    wrap(req =>
      c.revisionMetadata(req.params.name, scope(req), req.params.revision),
    ),
  );
  api.get(
    '/api/v1/applications/:name/syncwindows',
    wrap(req => c.syncWindows(req.params.name, scope(req))),
  );
  api.get(
    '/api/v1/applications/:name/events',
    wrap(req => {
      c.view(req.params.name, scope(req));
      return { metadata: {}, items: [] };
    }),
  );

  api.get(
    '/api/v1/projects',
    wrap((_req, res) => ({
      metadata: { resourceVersion: c.resourceVersion },
      items: c.listProjects().filter(p => mayAccess(res, p.metadata.name)),
    })),
  );
  const projectOr404 = (name: string) => {
    const p = c.getProject(name);
    if (!p) throw argoErrors.projectNotFound(name);
    return p;
  };
  api.get(
    '/api/v1/projects/:name',
    wrap(req => projectOr404(req.params.name)),
  );
  api.get(
    '/api/v1/projects/:name/syncwindows',
    wrap(req => {
      projectOr404(req.params.name);
      const windows = c.projectActiveWindows(req.params.name);
      return windows.length ? { windows } : {};
    }),
  );
  const validateProject = (p: AppProject) => {
    if (!p?.metadata?.name)
      throw argoErrors.invalidArgument('project name is required');
    for (const w of p.spec?.syncWindows ?? []) {
      try {
        validateWindow(w);
      } catch (e) {
        throw argoErrors.invalidArgument((e as Error).message);
      }
    }
  };
  api.post(
    '/api/v1/projects',
    wrap(req => {
      const p = bodyOf(req).project as AppProject;
      validateProject(p);
      if (c.getProject(p.metadata.name) && bodyOf(req).upsert !== true) {
        throw new ArgoError(
          GrpcCode.InvalidArgument,
          'existing project spec is different, use upsert flag to force update',
        );
      }
      return c.upsertProject(p);
    }),
  );
  api.put(
    '/api/v1/projects/:name',
    wrap(req => {
      const p = bodyOf(req).project as AppProject;
      validateProject(p);
      if (p.metadata.name !== req.params.name)
        throw argoErrors.invalidArgument(
          'project name does not match the request',
        );
      projectOr404(req.params.name);
      return c.upsertProject(p);
    }),
  );

  app.use((req, res, next) => {
    if (req.path.startsWith('/api/')) return api(req, res, next);
    return next();
  });

  app.use((_req, _res, next) => next(argoErrors.notFoundRoute()));

  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((err: any, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof KubeStatusError) {
      res.status(err.code).json(err.toBody());
      return;
    }
    if (err instanceof ArgoError) {
      res.status(err.httpStatus).json(err.toBody());
      return;
    }
    if (err?.type === 'entity.parse.failed') {
      const e = argoErrors.invalidArgument(
        `invalid character in request body: ${err.message}`,
      );
      res.status(e.httpStatus).json(e.toBody());
      return;
    }
    const e = new ArgoError(GrpcCode.Internal, String(err?.message ?? err));
    res.status(e.httpStatus).json(e.toBody());
  });
  return app;
}
