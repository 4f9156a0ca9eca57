import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

const MAX_ENTRIES = 5_000;

/** Who reads: the principal, and whom a service acts for. */
function callerKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
    actor?: { subject?: string };
  };
  const who = p.type === 'user' ? p.userEntityRef : p.subject;
  return `${p.type}:${who ?? ''}:${p.actor?.subject ?? ''}`;
}

/**
 * The catalog as the read routes use it (what runs where, the overview,
 * images, troubleshooting): an entity read with a caller's credentials is
 * reused for that caller for `ttlMs`, as Backstage's TechDocs backend does
 * (`CachedEntityLoader`, 5 s), because that read — the caller's visibility
 * check — is the most expensive step of a read request. Only entities that
 * were found are kept (a 404 is asked again), per caller, never across
 * callers; at most 5,000, most recently used kept. Writes (change requests,
 * sign-offs) do not use this: they read the catalog every time. `ttlMs` 0
 * returns the catalog itself.
 *
 * @internal
 */
export function cachedEntityReads(
  catalog: CatalogService,
  ttlMs: number,
  now: () => number = Date.now,
): CatalogService {
  if (ttlMs <= 0) return catalog;
  const kept = new Map<string, { at: number; entity: Entity }>();
  async function getEntityByRef(
    ref: string | CompoundEntityRef,
    options: { credentials: BackstageCredentials },
  ): Promise<Entity | undefined> {
    const key = `${callerKey(options.credentials)}|${stringifyEntityRef(
      parseEntityRef(ref),
    ).toLocaleLowerCase('en-US')}`;
    const hit = kept.get(key);
    if (hit && now() - hit.at < ttlMs) {
      kept.delete(key);
      kept.set(key, hit);
      return hit.entity;
    }
    const entity = await catalog.getEntityByRef(ref, options);
    kept.delete(key);
    if (entity) {
      kept.set(key, { at: now(), entity });
      if (kept.size > MAX_ENTRIES) kept.delete(kept.keys().next().value!);
    }
    return entity;
  }
  return new Proxy(catalog, {
    get(target, name) {
      if (name === 'getEntityByRef') return getEntityByRef;
      const v = Reflect.get(target, name);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
