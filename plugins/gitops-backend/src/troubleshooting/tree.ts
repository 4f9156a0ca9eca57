import {
  ResourceHealthStatus,
  ResourceTreeNode,
  TreeHealthFilter,
} from '@internal/plugin-gitops-common';
import {
  ArgoApplication,
  ArgoApplicationTree,
  ArgoResourceDiff,
  ArgoResourceNode,
} from '../argocd/types';

const HEALTH: ReadonlySet<string> = new Set([
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
]);
const UNHEALTHY: ReadonlySet<string> = new Set([
  'Degraded',
  'Missing',
  'Progressing',
]);
const SYNC: ReadonlySet<string> = new Set(['Synced', 'OutOfSync', 'Unknown']);

type Ref = {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
};

/** `group/kind/namespace/name`, the identity of a resource without uid. */
export function resourceId(r: Ref): string {
  return `${r.group ?? ''}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

function health(h: ArgoResourceNode['health']): ResourceTreeNode['health'] {
  if (!h?.status) return undefined;
  const status = (
    HEALTH.has(h.status) ? h.status : 'Unknown'
  ) as ResourceHealthStatus;
  return { status, ...(h.message ? { message: h.message } : {}) };
}

function parseState(s: string | undefined): any {
  if (!s || s === 'null') return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/**
 * Container names of the workloads Argo CD manages (Deployment, StatefulSet,
 * DaemonSet, Job…), by resource id, from their live (else target) manifest:
 * init containers first. Pure.
 */
export function workloadContainers(
  items: ArgoResourceDiff[],
): Map<string, Array<{ name: string; init?: boolean }>> {
  const out = new Map<string, Array<{ name: string; init?: boolean }>>();
  for (const item of items) {
    const obj =
      parseState(item.normalizedLiveState) ??
      parseState(item.liveState) ??
      parseState(item.targetState);
    const podSpec =
      obj?.spec?.template?.spec ?? obj?.spec?.jobTemplate?.spec?.template?.spec;
    if (!podSpec) continue;
    const names = (list: unknown, init: boolean) =>
      (Array.isArray(list) ? list : [])
        .map((c: any) => c?.name)
        .filter((n: unknown): n is string => typeof n === 'string' && n !== '')
        .map(name => (init ? { name, init: true } : { name }));
    out.set(resourceId(item), [
      ...names(podSpec.initContainers, true),
      ...names(podSpec.containers, false),
    ]);
  }
  return out;
}

/**
 * Builds the resource tree (parent → children) from Argo CD's resource tree,
 * the application's managed resources (sync status; resources that are in Git
 * but not in the cluster appear as Missing roots) and the workloads'
 * containers (given to their pods). With `filter`, keeps the nodes whose
 * health matches and their ancestors. Children and roots are sorted by kind
 * then name. Pure.
 */
export function buildTree(options: {
  tree: ArgoApplicationTree;
  app: ArgoApplication;
  containers?: Map<string, Array<{ name: string; init?: boolean }>>;
  filter?: TreeHealthFilter[];
}): ResourceTreeNode[] {
  const { tree, app, containers = new Map(), filter } = options;
  const managed = new Map(
    (app.status?.resources ?? []).map(r => [resourceId(r), r]),
  );
  const byKey = new Map<string, ResourceTreeNode>();
  const byId = new Map<string, ResourceTreeNode>();
  const parents = new Map<ResourceTreeNode, Ref[]>();
  for (const n of tree.nodes ?? []) {
    const id = resourceId(n);
    const m = managed.get(id);
    const node: ResourceTreeNode = {
      ...(n.uid ? { uid: n.uid } : {}),
      ...(n.group ? { group: n.group } : {}),
      ...(n.version ? { version: n.version } : {}),
      kind: n.kind,
      ...(n.namespace ? { namespace: n.namespace } : {}),
      name: n.name,
      health: health(n.health) ?? health(m?.health),
      ...(m?.status && SYNC.has(m.status)
        ? { syncStatus: m.status as ResourceTreeNode['syncStatus'] }
        : {}),
      info: (n.info ?? []).map(i => ({ name: i.name, value: i.value })),
      images: n.images ?? [],
      unhealthyPath: false,
      children: [],
    };
    if (!node.health) delete node.health;
    byKey.set(n.uid ?? id, node);
    byId.set(id, node);
    parents.set(node, n.parentRefs ?? []);
  }
  // Managed resources without a live node: in Git, not in the cluster.
  for (const [id, m] of managed) {
    if (byId.has(id)) continue;
    const node: ResourceTreeNode = {
      ...(m.group ? { group: m.group } : {}),
      ...(m.version ? { version: m.version } : {}),
      kind: m.kind,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      name: m.name,
      health: health(m.health) ?? { status: 'Missing' },
      ...(m.status && SYNC.has(m.status)
        ? { syncStatus: m.status as ResourceTreeNode['syncStatus'] }
        : {}),
      info: [],
      images: [],
      unhealthyPath: false,
      children: [],
    };
    byId.set(id, node);
    byKey.set(id, node);
    parents.set(node, []);
  }
  const roots: ResourceTreeNode[] = [];
  const parentOf = new Map<ResourceTreeNode, ResourceTreeNode>();
  for (const [node, refs] of parents) {
    const parent = refs
      .map(r => (r.uid && byKey.get(r.uid)) || byId.get(resourceId(r)))
      .find((p): p is ResourceTreeNode => !!p && p !== node);
    if (parent) {
      parent.children.push(node);
      parentOf.set(node, parent);
    } else {
      roots.push(node);
    }
  }
  // Pods get the containers of the nearest workload above them.
  for (const node of parents.keys()) {
    if (node.kind !== 'Pod') continue;
    for (let p = parentOf.get(node); p; p = parentOf.get(p)) {
      const c = containers.get(resourceId(p));
      if (c) {
        node.containers = c;
        break;
      }
    }
  }
  const mark = (n: ResourceTreeNode): boolean => {
    let bad = !!n.health && UNHEALTHY.has(n.health.status);
    for (const c of n.children) bad = mark(c) || bad;
    n.unhealthyPath = bad;
    return bad;
  };
  roots.forEach(mark);
  const sorted = sortNodes(roots);
  return filter?.length ? prune(sorted, new Set(filter)) : sorted;
}

function sortNodes(nodes: ResourceTreeNode[]): ResourceTreeNode[] {
  for (const n of nodes) n.children = sortNodes(n.children);
  return [...nodes].sort(
    (a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name),
  );
}

function prune(
  nodes: ResourceTreeNode[],
  keep: Set<string>,
): ResourceTreeNode[] {
  const out: ResourceTreeNode[] = [];
  for (const n of nodes) {
    const children = prune(n.children, keep);
    if (children.length || (n.health && keep.has(n.health.status))) {
      out.push({ ...n, children });
    }
  }
  return out;
}

/** Finds a node by uid, or by kind/namespace/name. */
export function findNode(
  roots: ResourceTreeNode[],
  match: (n: ResourceTreeNode) => boolean,
): ResourceTreeNode | undefined {
  for (const n of roots) {
    if (match(n)) return n;
    const found = findNode(n.children, match);
    if (found) return found;
  }
  return undefined;
}
