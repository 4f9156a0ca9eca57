/**
 * How live objects look through the API (pure): Deployment/Service status for the
 * current health phase and managed-resources diff items with JSON-string states
 * (the resource tree is in resourceTree.ts).
 */
import crypto from 'node:crypto';
import {
  canonicalJson,
  compareResources,
  HealthCode,
  ResourceComparison,
} from '../../logic/compare';
import type { ApplicationSource, KubeObject } from '../../logic/types';

/** Health phase of an app's workload. @public */
export type HealthPhase = 'Progressing' | 'Healthy' | 'Degraded';

/** What the emulated cluster knows about an app's last rollout. @public */
export interface LiveMeta {
  revision?: string;
  source?: ApplicationSource;
  phase: HealthPhase;
  phaseSince: string;
  deployRevision: number;
}

/** Deep copy through JSON. */
export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

const SAFE_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
/** Kubernetes-style safe hash (pod-template-hash alphabet). */
export function safeHash(input: string, len: number): string {
  const digest = crypto.createHash('sha256').update(input).digest();
  let out = '';
  for (let i = 0; i < len; i++)
    out += SAFE_CHARS[digest[i] % SAFE_CHARS.length];
  return out;
}

/** A stable UUID-shaped id derived from a seed string. */
export function uidFor(seed: string): string {
  const h = crypto.createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

export function liveView(meta: LiveMeta, o: KubeObject): KubeObject {
  const v: any = clone(o);
  if (o.kind === 'Deployment') {
    const n = v.spec?.replicas ?? 1;
    const phase = meta.phase;
    const ready = phase === 'Healthy' ? n : 0;
    v.metadata.annotations = {
      ...(v.metadata.annotations ?? {}),
      'deployment.kubernetes.io/revision': String(meta.deployRevision),
    };
    v.status = {
      observedGeneration: v.metadata.generation,
      replicas: n,
      updatedReplicas: n,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(ready < n ? { unavailableReplicas: n - ready } : {}),
      conditions: [
        {
          type: 'Available',
          status: ready >= n ? 'True' : 'False',
          reason:
            ready >= n
              ? 'MinimumReplicasAvailable'
              : 'MinimumReplicasUnavailable',
          message:
            ready >= n
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
          lastTransitionTime: meta.phaseSince,
        },
        phase === 'Degraded'
          ? {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: `ReplicaSet "${rsName(v)}" has timed out progressing.`,
              lastTransitionTime: meta.phaseSince,
            }
          : {
              type: 'Progressing',
              status: 'True',
              reason:
                phase === 'Healthy'
                  ? 'NewReplicaSetAvailable'
                  : 'ReplicaSetUpdated',
              message: `ReplicaSet "${rsName(v)}" ${
                phase === 'Healthy'
                  ? 'has successfully progressed'
                  : 'is progressing'
              }.`,
              lastTransitionTime: meta.phaseSince,
            },
      ],
    };
  } else if (o.kind === 'Service') {
    v.spec = {
      ...v.spec,
      clusterIP: `10.96.${parseInt(safeHash(o.metadata.name, 2), 36) % 250}.${
        (o.metadata.name.length * 7) % 250
      }`,
    };
    v.status = { loadBalancer: {} };
  }
  return v;
}

export function rsName(deployment: any): string {
  return `${deployment.metadata.name}-${safeHash(
    canonicalJson(deployment.spec?.template),
    10,
  )}`;
}

export function resourceHealth(
  meta: LiveMeta,
  c: ResourceComparison,
): { status: HealthCode; message?: string } | undefined {
  if (!c.live) return c.target ? { status: 'Missing' } : undefined;
  if (c.kind === 'Deployment') {
    const phase = meta.phase;
    const n = (c.live as any).spec?.replicas ?? 1;
    if (phase === 'Progressing') {
      return {
        status: 'Progressing',
        message: `Waiting for rollout to finish: 0 of ${n} updated replicas are available...`,
      };
    }
    if (phase === 'Degraded') {
      return {
        status: 'Degraded',
        message: `Deployment "${c.name}" exceeded its progress deadline`,
      };
    }
    return { status: 'Healthy' };
  }
  return { status: 'Healthy' };
}

export function managedResourceItems(
  target: KubeObject[],
  live: KubeObject[],
  meta: LiveMeta,
  filter: Record<string, string | undefined>,
) {
  const items: any[] = [];
  for (const c of compareResources(target, live)) {
    if (filter.namespace && filter.namespace !== c.namespace) continue;
    if (filter.name && filter.name !== c.name) continue;
    if (filter.version && filter.version !== c.version) continue;
    if (
      filter.group !== undefined &&
      filter.group !== '' &&
      filter.group !== c.group
    )
      continue;
    if (filter.kind && filter.kind !== c.kind) continue;
    const view = c.live ? liveView(meta, c.live) : undefined;
    const normalized = view ? normalizeLiveForDiff(view) : undefined;
    const predicted = c.target ? predictLive(c.target, view) : undefined;
    items.push({
      ...(c.group ? { group: c.group } : {}),
      kind: c.kind,
      namespace: c.namespace,
      name: c.name,
      targetState: c.target ? JSON.stringify(c.target) : 'null',
      liveState: view ? JSON.stringify(view) : 'null',
      normalizedLiveState: normalized ? JSON.stringify(normalized) : 'null',
      predictedLiveState: predicted ? JSON.stringify(predicted) : 'null',
      hook: false,
      modified: c.status !== 'Synced',
      ...(view ? { resourceVersion: view.metadata.resourceVersion } : {}),
    });
  }
  return { items };
}

function normalizeLiveForDiff(live: KubeObject): KubeObject {
  const v: any = clone(live);
  delete v.status;
  for (const k of [
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'generation',
    'managedFields',
  ])
    delete v.metadata[k];
  if (v.metadata.annotations) {
    delete v.metadata.annotations['deployment.kubernetes.io/revision'];
    if (!Object.keys(v.metadata.annotations).length)
      delete v.metadata.annotations;
  }
  if (v.kind === 'Service' && v.spec) delete v.spec.clusterIP;
  return v;
}

/** What live would look like after applying target (server-set fields dropped, as normalized). */
function predictLive(
  target: KubeObject,
  _live: KubeObject | undefined,
): KubeObject {
  return clone(target);
}
