/** Desired-vs-live comparison and health aggregation (pure). */
import type { KubeObject } from './types';

/** Health status codes in Argo CD's "worse" order. @public */
export const HEALTH_ORDER = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
] as const;
/** @public */
export type HealthCode = (typeof HEALTH_ORDER)[number];

/** The worse of two health codes. @public */
export function worseHealth(a: HealthCode, b: HealthCode): HealthCode {
  return HEALTH_ORDER.indexOf(a) >= HEALTH_ORDER.indexOf(b) ? a : b;
}

/** `group/kind/namespace/name` key of an object. @public */
export function resourceKey(o: {
  apiVersion?: string;
  group?: string;
  kind: string;
  metadata?: { name: string; namespace?: string };
  name?: string;
  namespace?: string;
}): string {
  const group = o.group ?? groupOf(o.apiVersion ?? '');
  const name = o.metadata?.name ?? o.name ?? '';
  const ns = o.metadata?.namespace ?? o.namespace ?? '';
  return `${group}/${o.kind}/${ns}/${name}`;
}

/** API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). @public */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}
/** Version of an apiVersion. @public */
export function versionOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
}

/** Fields the cluster adds to a live object that the comparison ignores. */
const LIVE_ONLY_METADATA = [
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'generation',
  'managedFields',
  'annotations',
];

/** A live object normalised for comparison (status and server-set metadata removed). @public */
export function normalizeLive(live: KubeObject): KubeObject {
  const { status: _status, ...rest } = live as KubeObject & {
    status?: unknown;
  };
  const metadata: Record<string, unknown> = { ...rest.metadata };
  for (const k of LIVE_ONLY_METADATA) delete metadata[k];
  return { ...rest, metadata } as KubeObject;
}

/** Canonical JSON (sorted keys) for equality checks. @public */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .filter(k => (v as any)[k] !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonicalJson((v as any)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Per-resource comparison result. @public */
export interface ResourceComparison {
  key: string;
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  target?: KubeObject;
  live?: KubeObject;
  status: 'Synced' | 'OutOfSync';
  requiresPruning: boolean;
}

/** Compares target manifests with live objects. @public */
export function compareResources(
  target: KubeObject[],
  live: KubeObject[],
): ResourceComparison[] {
  const liveByKey = new Map(live.map(o => [resourceKey(o), o]));
  const out: ResourceComparison[] = [];
  const seen = new Set<string>();
  for (const t of target) {
    const key = resourceKey(t);
    seen.add(key);
    const l = liveByKey.get(key);
    out.push({
      key,
      group: groupOf(t.apiVersion),
      version: versionOf(t.apiVersion),
      kind: t.kind,
      namespace: t.metadata.namespace ?? '',
      name: t.metadata.name,
      target: t,
      live: l,
      status:
        l && canonicalJson(normalizeLive(l)) === canonicalJson(t)
          ? 'Synced'
          : 'OutOfSync',
      requiresPruning: false,
    });
  }
  for (const l of live) {
    const key = resourceKey(l);
    if (seen.has(key)) continue;
    out.push({
      key,
      group: groupOf(l.apiVersion),
      version: versionOf(l.apiVersion),
      kind: l.kind,
      namespace: l.metadata.namespace ?? '',
      name: l.metadata.name,
      live: l,
      status: 'OutOfSync',
      requiresPruning: true,
    });
  }
  return out;
}

/** App-level sync status: Synced only when every resource is. @public */
export function appSyncStatus(
  resources: ResourceComparison[],
): 'Synced' | 'OutOfSync' {
  return resources.every(r => r.status === 'Synced') ? 'Synced' : 'OutOfSync';
}

/** Images of a pod spec: init containers (native sidecars included) and containers, sorted and unique. @public */
export function podImages(podSpec: any): string[] {
  const images = new Set<string>();
  for (const list of [podSpec?.initContainers, podSpec?.containers])
    if (Array.isArray(list))
      for (const c of list)
        if (typeof c?.image === 'string') images.add(c.image);
  return [...images].sort();
}

/**
 * Every container image of the pods of live workload objects, sorted and
 * unique - as Argo CD builds `status.summary.images`: each Pod's images are
 * its init containers' and containers' (controller/cache/info.go
 * populatePodInfo), the summary is the sorted set over the tree's nodes
 * (ApplicationTree.GetSummary in pkg/apis/application/v1alpha1/types.go).
 * @public
 */
export function imagesOf(objects: KubeObject[]): string[] {
  const images = new Set<string>();
  for (const o of objects)
    for (const i of podImages((o as any).spec?.template?.spec)) images.add(i);
  return [...images].sort();
}
