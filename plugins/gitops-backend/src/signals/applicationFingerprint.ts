import { createHash } from 'node:crypto';
import type { ArgoApplication } from '../argocd/types';

/**
 * Fields Argo CD rewrites without anything a tab shows having changed: the
 * object's version counters, server-side apply bookkeeping and the
 * controller's reconcile timestamps (Argo CD rewrites `reconciledAt` on every
 * reconcile, i.e. a watch event every few minutes per application).
 */
const VOLATILE: Array<[parent: 'metadata' | 'status', key: string]> = [
  ['metadata', 'resourceVersion'],
  ['metadata', 'managedFields'],
  ['metadata', 'generation'],
  ['status', 'reconciledAt'],
  ['status', 'observedAt'],
];

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort())
      out[k] = stable((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * A digest of everything of an application except the volatile fields, so
 * a watch event that changed nothing visible can be told apart from one that
 * did (denylist, not allowlist: a field we did not think of still counts as
 * a change). Pure; 20 bytes kept per application.
 *
 * @internal
 */
export function applicationFingerprint(app: ArgoApplication): string {
  const copy: Record<string, unknown> = { ...app };
  for (const [parent, key] of VOLATILE) {
    const p = copy[parent];
    if (p && typeof p === 'object') {
      const { [key]: _drop, ...rest } = p as Record<string, unknown>;
      copy[parent] = rest;
    }
  }
  return createHash('sha1')
    .update(JSON.stringify(stable(copy)))
    .digest('base64');
}
