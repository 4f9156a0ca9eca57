/** Reading requests: query parameters, the lookup scope, bearer token, body. */
import type { Request } from 'express';
import type { Scope } from '../state/types';

/** Last value of a query parameter. */
export function q(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (Array.isArray(v)) return String(v[v.length - 1]);
  return v === undefined ? undefined : String(v);
}

/** Every value of a repeated query parameter. */
export function qAll(req: Request, name: string): string[] {
  const v = req.query[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** `appNamespace` and `project` (one, or several to be refused) of a request. */
export function scope(req: Request): Scope {
  const projects = qAll(req, 'project');
  return {
    appNamespace: q(req, 'appNamespace'),
    project: projects.length > 1 ? projects : projects[0],
  };
}

export function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m ? m[1].trim() : undefined;
}

/** The session cookie (parsed by cookie-parser). */
export function sessionCookie(req: Request): string | undefined {
  const v = (req.cookies as Record<string, unknown> | undefined)?.[
    'argocd.token'
  ];
  return typeof v === 'string' ? v : undefined;
}

export function bodyOf(req: Request): Record<string, any> {
  return req.body && typeof req.body === 'object' ? req.body : {};
}
