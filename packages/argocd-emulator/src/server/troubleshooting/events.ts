/**
 * Kubernetes events of an emulated application (pure), as
 * `GET /api/v1/applications/{name}/events` lists them (`eventsEventList`):
 * without a resource, the Application's own events (operations, from its
 * history and last operation); with `resourceName`/`resourceNamespace`/
 * `resourceUID`, the events of that object: a Deployment scaling its
 * ReplicaSet, a Pod being scheduled, pulling (`ErrImagePull`,
 * `ImagePullBackOff` for a tag never built), starting or crash-looping.
 */
import type { RevisionHistory, OperationState } from '../../logic/types';
import type { EmulatedPod } from './pods';

/** Filter of the events route (all optional). @public */
export interface EventFilter {
  resourceName?: string;
  resourceNamespace?: string;
  resourceUID?: string;
}

interface Ref {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace: string;
  uid: string;
}

const BACKOFF_COUNT = 7;

function at(base: string, seconds: number): string {
  return new Date(Date.parse(base) + seconds * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

function event(
  ref: Ref,
  n: number,
  e: {
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    first: string;
    last?: string;
    count?: number;
    component: string;
  },
) {
  return {
    metadata: {
      name: `${ref.name}.${(0x17a0 + n).toString(16)}`,
      namespace: ref.namespace,
      uid: `${ref.uid.slice(0, 24)}${String(n).padStart(12, '0')}`,
      creationTimestamp: e.first,
    },
    involvedObject: {
      ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}),
      kind: ref.kind,
      name: ref.name,
      namespace: ref.namespace,
      uid: ref.uid,
    },
    reason: e.reason,
    message: e.message,
    source: {
      component: e.component,
      ...(e.component === 'kubelet' ? { host: 'emulator-node-1' } : {}),
    },
    firstTimestamp: e.first,
    lastTimestamp: e.last ?? e.first,
    count: e.count ?? 1,
    type: e.type,
    reportingComponent: e.component,
    reportingInstance: e.component === 'kubelet' ? 'emulator-node-1' : '',
  };
}

/** Events of one pod. */
export function podEvents(pod: EmulatedPod, now: string) {
  const ref: Ref = {
    apiVersion: 'v1',
    kind: 'Pod',
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
  };
  const t = pod.createdAt;
  let n = 0;
  const out = [
    event(ref, n++, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${pod.namespace}/${pod.name} to emulator-node-1`,
      first: t,
      component: 'default-scheduler',
    }),
  ];
  for (const c of pod.containers) {
    const kubelet = { component: 'kubelet' };
    out.push(
      event(ref, n++, {
        ...kubelet,
        type: 'Normal',
        reason: 'Pulling',
        message: `Pulling image "${c.image}"`,
        first: at(t, 1),
      }),
    );
    if (c.state === 'ContainerCreating') continue;
    if (c.state === 'ImagePullBackOff') {
      out.push(
        event(ref, n++, {
          ...kubelet,
          type: 'Warning',
          reason: 'Failed',
          message: `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
          first: at(t, 2),
          last: now,
          count: BACKOFF_COUNT,
        }),
        event(ref, n++, {
          ...kubelet,
          type: 'Warning',
          reason: 'Failed',
          message: 'Error: ErrImagePull',
          first: at(t, 2),
          last: now,
          count: BACKOFF_COUNT,
        }),
        event(ref, n++, {
          ...kubelet,
          type: 'Normal',
          reason: 'BackOff',
          message: `Back-off pulling image "${c.image}"`,
          first: at(t, 3),
          last: now,
          count: BACKOFF_COUNT * 3,
        }),
        event(ref, n++, {
          ...kubelet,
          type: 'Warning',
          reason: 'Failed',
          message: 'Error: ImagePullBackOff',
          first: at(t, 3),
          last: now,
          count: BACKOFF_COUNT * 3,
        }),
      );
      continue;
    }
    out.push(
      event(ref, n++, {
        ...kubelet,
        type: 'Normal',
        reason: 'Pulled',
        message: `Successfully pulled image "${c.image}" in 1.2s`,
        first: at(t, 2),
      }),
      event(ref, n++, {
        ...kubelet,
        type: 'Normal',
        reason: 'Created',
        message: `Created container ${c.name}`,
        first: at(t, 3),
      }),
      event(ref, n++, {
        ...kubelet,
        type: 'Normal',
        reason: 'Started',
        message: `Started container ${c.name}`,
        first: at(t, 3),
      }),
    );
    if (c.state === 'CrashLoopBackOff') {
      out.push(
        event(ref, n++, {
          ...kubelet,
          type: 'Warning',
          reason: 'BackOff',
          message: `Back-off restarting failed container ${c.name} in pod ${pod.name}_${pod.namespace}(${pod.uid})`,
          first: at(t, 20),
          last: now,
          count: BACKOFF_COUNT * 4,
        }),
      );
    }
  }
  return out;
}

/** Events of a Deployment (scaling its ReplicaSet) and of a ReplicaSet (creating its pod). */
function workloadEvents(pods: EmulatedPod[], ref: Ref) {
  const out = [];
  let n = 0;
  for (const p of pods) {
    if (ref.kind === 'Deployment' && p.deployment.uid === ref.uid) {
      out.push(
        event(ref, n++, {
          type: 'Normal',
          reason: 'ScalingReplicaSet',
          message: `Scaled up replica set ${p.replicaSet.name} to 1`,
          first: p.createdAt,
          component: 'deployment-controller',
        }),
      );
      break;
    }
    if (ref.kind === 'ReplicaSet' && p.replicaSet.uid === ref.uid) {
      out.push(
        event(ref, n++, {
          type: 'Normal',
          reason: 'SuccessfulCreate',
          message: `Created pod: ${p.name}`,
          first: p.createdAt,
          component: 'replicaset-controller',
        }),
      );
    }
  }
  return out;
}

/** The Application's own events: one per recorded sync, and the last operation. */
export function applicationEvents(
  app: { name: string; namespace: string; uid: string },
  history: RevisionHistory[],
  op: OperationState | undefined,
) {
  const ref: Ref = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    ...app,
  };
  const out = [];
  let n = 0;
  for (const h of history) {
    const when = h.deployedAt ?? h.deployStartedAt;
    if (!when || !h.revision) continue;
    out.push(
      event(ref, n++, {
        type: 'Normal',
        reason: 'OperationCompleted',
        message: `Sync operation to ${h.revision} succeeded`,
        first: when,
        component: 'argocd-application-controller',
      }),
    );
  }
  if (op?.startedAt) {
    const rev = op.syncResult?.revision ?? op.operation.sync?.revision ?? '';
    const who = op.operation.initiatedBy?.username;
    out.push(
      event(ref, n++, {
        type: 'Normal',
        reason: 'OperationStarted',
        message: `${who ?? 'Argo CD'} initiated sync to ${rev || 'HEAD'}`,
        first: op.startedAt,
        component: 'argocd-server',
      }),
    );
    if (op.finishedAt && (op.phase === 'Failed' || op.phase === 'Error')) {
      out.push(
        event(ref, n++, {
          type: 'Warning',
          reason: 'OperationCompleted',
          message: `Sync operation to ${rev} failed: ${
            op.message ?? ''
          }`.trim(),
          first: op.finishedAt,
          component: 'argocd-application-controller',
        }),
      );
    }
  }
  return out;
}

/** The events route's answer (`eventsEventList`). */
export function listEvents(
  input: {
    app: { name: string; namespace: string; uid: string };
    history: RevisionHistory[];
    operationState?: OperationState;
    pods: EmulatedPod[];
    /** Every tree node (Deployments, ReplicaSets, Pods, Services). */
    nodes: Array<{
      kind: string;
      name: string;
      namespace?: string;
      uid?: string;
    }>;
    now: string;
  },
  filter: EventFilter,
) {
  if (!filter.resourceName && !filter.resourceUID) {
    return {
      metadata: {},
      items: applicationEvents(input.app, input.history, input.operationState),
    };
  }
  const node = input.nodes.find(
    n =>
      (!filter.resourceName || n.name === filter.resourceName) &&
      (!filter.resourceNamespace ||
        (n.namespace ?? '') === filter.resourceNamespace) &&
      (!filter.resourceUID || n.uid === filter.resourceUID),
  );
  if (!node) return { metadata: {}, items: [] };
  const ref: Ref = {
    kind: node.kind,
    name: node.name,
    namespace: node.namespace ?? '',
    uid: node.uid ?? '',
  };
  if (node.kind === 'Pod') {
    const pod = input.pods.find(p => p.uid === node.uid);
    return { metadata: {}, items: pod ? podEvents(pod, input.now) : [] };
  }
  return {
    metadata: {},
    items: workloadEvents(input.pods, { ...ref, apiVersion: 'apps/v1' }),
  };
}
