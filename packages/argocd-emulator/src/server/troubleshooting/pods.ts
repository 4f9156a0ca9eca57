/**
 * The emulated pods of an application (pure): derived from its resource
 * tree (Pod nodes under ReplicaSets under Deployments) and the live
 * Deployment's pod template (init containers and containers). A pod whose
 * image tag was never built (the seed's {@link isUnbuiltTag}) waits in
 * `ImagePullBackOff`; a Degraded rollout of a built but broken tag crash-loops.
 */
import { tagOfImage } from '../../logic/syncPlan';
import type { KubeObject } from '../../logic/types';
import type { LiveMeta } from '../live/liveViews';

/** One container of an emulated pod. @public */
export interface EmulatedContainer {
  name: string;
  image: string;
  init: boolean;
  /** `Running`, `CrashLoopBackOff` (broken tag), `ImagePullBackOff` (unbuilt tag), `ContainerCreating`. */
  state:
    | 'Running'
    | 'CrashLoopBackOff'
    | 'ImagePullBackOff'
    | 'ContainerCreating';
}

/** One emulated pod. @public */
export interface EmulatedPod {
  name: string;
  namespace: string;
  uid: string;
  replicaSet: { name: string; uid: string };
  deployment: { name: string; uid: string };
  containers: EmulatedContainer[];
  /** Pod-level reason, as `Status Reason` in the tree. */
  reason: EmulatedContainer['state'];
  /** When the pod was created (the rollout's phase start). */
  createdAt: string;
}

type TreeNode = {
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  parentRefs?: Array<{ kind: string; name: string; uid?: string }>;
  health?: { status: string; message?: string };
  info?: Array<{ name: string; value: string }>;
  images?: string[];
  createdAt?: string;
};

function containersOf(dep: KubeObject | undefined): Array<{
  name: string;
  image: string;
  init: boolean;
}> {
  const spec = (dep as any)?.spec?.template?.spec ?? {};
  const list = (v: unknown, init: boolean) =>
    (Array.isArray(v) ? v : [])
      .filter((c: any) => typeof c?.name === 'string')
      .map((c: any) => ({ name: c.name, image: String(c.image ?? ''), init }));
  return [...list(spec.initContainers, true), ...list(spec.containers, false)];
}

/** The pods of an application, from its tree, live objects and rollout phase. */
export function podsOf(
  tree: { nodes: TreeNode[] },
  live: KubeObject[],
  meta: LiveMeta,
  isUnbuiltTag: (tag: string) => boolean,
): EmulatedPod[] {
  const byUid = new Map(tree.nodes.filter(n => n.uid).map(n => [n.uid!, n]));
  const pods: EmulatedPod[] = [];
  for (const node of tree.nodes) {
    if (node.kind !== 'Pod') continue;
    const rs = byUid.get(node.parentRefs?.[0]?.uid ?? '');
    const dep = rs ? byUid.get(rs.parentRefs?.[0]?.uid ?? '') : undefined;
    if (!rs || !dep) continue;
    const liveDep = live.find(
      o =>
        o.kind === 'Deployment' &&
        o.metadata.name === dep.name &&
        (o.metadata.namespace ?? '') === (dep.namespace ?? ''),
    );
    const containers: EmulatedContainer[] = containersOf(liveDep).map(c => {
      let state: EmulatedContainer['state'] = 'Running';
      if (meta.phase === 'Progressing') state = 'ContainerCreating';
      else if (isUnbuiltTag(tagOfImage(c.image))) state = 'ImagePullBackOff';
      else if (meta.phase === 'Degraded' && !c.init) state = 'CrashLoopBackOff';
      return { ...c, state };
    });
    const reason =
      containers.find(c => c.state === 'ImagePullBackOff')?.state ??
      containers.find(c => c.state === 'CrashLoopBackOff')?.state ??
      containers.find(c => c.state === 'ContainerCreating')?.state ??
      'Running';
    pods.push({
      name: node.name,
      namespace: node.namespace ?? '',
      uid: node.uid ?? '',
      replicaSet: { name: rs.name, uid: rs.uid ?? '' },
      deployment: { name: dep.name, uid: dep.uid ?? '' },
      containers,
      reason,
      createdAt: node.createdAt ?? meta.phaseSince,
    });
  }
  return pods;
}

/**
 * The resource tree as Argo CD shows it once pods are known: a pod waiting
 * for an image that was never built is `ImagePullBackOff` with Argo CD's
 * message, and the `Containers` count says how many are ready. Pure.
 */
export function withPodStatus<T extends { nodes: TreeNode[] }>(
  tree: T,
  pods: EmulatedPod[],
): T {
  const byName = new Map(pods.map(p => [`${p.namespace}/${p.name}`, p]));
  return {
    ...tree,
    nodes: tree.nodes.map(n => {
      const pod =
        n.kind === 'Pod'
          ? byName.get(`${n.namespace ?? ''}/${n.name}`)
          : undefined;
      if (!pod) return n;
      const main = pod.containers.filter(c => !c.init);
      const ready = main.filter(c => c.state === 'Running').length;
      const info = (n.info ?? []).filter(
        i => !['Status Reason', 'Containers', 'Restart Count'].includes(i.name),
      );
      const pulling = pod.containers.find(c => c.state === 'ImagePullBackOff');
      return {
        ...n,
        ...(pulling
          ? {
              health: {
                status: 'Degraded',
                message: `Back-off pulling image "${pulling.image}"`,
              },
            }
          : {}),
        info: [
          { name: 'Status Reason', value: pod.reason },
          ...info,
          { name: 'Containers', value: `${ready}/${main.length}` },
          ...(pod.reason === 'CrashLoopBackOff'
            ? [{ name: 'Restart Count', value: '7' }]
            : []),
        ],
      };
    }),
  };
}
