import { z } from 'zod';

/* Pure parsing of what registries send: image repositories, auth challenges, Link headers. */

/** An image repository split into its registry host and its name there. @internal */
export interface RepositoryRef {
  /** Registry host as image references name it, lower case (`docker.io` for Docker Hub). */
  host: string;
  /** Repository name at the registry, e.g. `shop/python-api-base` (`library/nginx` on Docker Hub). */
  name: string;
}

const NAME = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * `example.org/shop/api` → host `example.org`, name `shop/api`; as Docker
 * reads references: the first part is a host when it has a dot, a port or
 * is `localhost`, else the image is on Docker Hub (`nginx` →
 * `docker.io` / `library/nginx`). A tag or digest must not be included.
 * Undefined when it is not a repository.
 *
 * @internal
 */
export function parseRepository(repository: string): RepositoryRef | undefined {
  const r = repository.trim();
  if (!r || /[@\s]/.test(r) || /:[^/]*$/.test(r.split('/').slice(1).join('/')))
    return undefined;
  const slash = r.indexOf('/');
  const first = slash < 0 ? '' : r.slice(0, slash);
  let host: string;
  let name: string;
  if (first && (/[.:]/.test(first) || first === 'localhost')) {
    host = first.toLocaleLowerCase('en-US');
    name = r.slice(slash + 1);
  } else {
    host = 'docker.io';
    name = r.includes('/') ? r : `library/${r}`;
  }
  if (host === 'index.docker.io') host = 'docker.io';
  if (!NAME.test(name)) return undefined;
  return { host, name };
}

/** A `WWW-Authenticate` challenge. @internal */
export interface AuthChallenge {
  scheme: 'basic' | 'bearer';
  realm?: string;
  service?: string;
  scope?: string;
}

/**
 * The first Basic or Bearer challenge of a `WWW-Authenticate` header
 * (`Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"`).
 *
 * @internal
 */
export function parseChallenge(
  header: string | null | undefined,
): AuthChallenge | undefined {
  if (!header) return undefined;
  const m = /^\s*(basic|bearer)\b(.*)$/i.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([a-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const p of m[2].matchAll(re)) {
    params[p[1].toLocaleLowerCase('en-US')] = (p[2] ?? p[3]).replace(
      /\\(.)/g,
      '$1',
    );
  }
  return {
    scheme: m[1].toLocaleLowerCase('en-US') as AuthChallenge['scheme'],
    ...(params.realm ? { realm: params.realm } : {}),
    ...(params.service ? { service: params.service } : {}),
    ...(params.scope ? { scope: params.scope } : {}),
  };
}

/** The `rel="next"` target of a `Link` header, if any. @internal */
export function nextLink(
  header: string | null | undefined,
): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /\brel\s*=\s*"?next"?/i.test(m[2])) return m[1];
  }
  return undefined;
}

/** `sha256:<64 hex>` (or sha512). @internal */
export const DIGEST = /^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$/;

/** `GET /v2/<name>/tags/list`. @internal */
export const tagListSchema = z.object({
  name: z.string(),
  tags: z.array(z.string().max(128)).nullable().optional(),
});

/** A token endpoint's answer (Docker token spec: `token`, or OAuth's `access_token`). @internal */
export const tokenSchema = z
  .object({
    token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    expires_in: z.number().int().positive().optional(),
  })
  .refine(t => t.token || t.access_token, {
    message: 'neither token nor access_token',
  });
