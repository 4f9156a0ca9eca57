import { liveView, LiveMeta, managedResourceItems, rsName } from './liveViews';
import { buildResourceTree } from './resourceTree';
import type { KubeObject } from '../../logic/types';

const deployment = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'ns',
    uid: 'd-uid',
    resourceVersion: '5',
    creationTimestamp: '2026-11-01T00:00:00Z',
    generation: 1,
  },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'c', image }] } },
  },
});
const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'web',
    namespace: 'ns',
    uid: 's-uid',
    resourceVersion: '6',
  },
  spec: { selector: { app: 'web' } },
};
const meta = (phase: LiveMeta['phase']): LiveMeta => ({
  phase,
  phaseSince: '2026-11-23T10:00:00Z',
  deployRevision: 3,
});

describe('liveView', () => {
  it.each([
    ['Healthy', 2, 'True', 'NewReplicaSetAvailable'],
    ['Progressing', 0, 'True', 'ReplicaSetUpdated'],
    ['Degraded', 0, 'False', 'ProgressDeadlineExceeded'],
  ] as const)('Deployment in %s', (phase, ready, progressing, reason) => {
    const v: any = liveView(meta(phase), deployment('r:1'));
    expect(v.status.readyReplicas).toBe(ready);
    expect(v.status.conditions[1]).toMatchObject({
      type: 'Progressing',
      status: progressing,
      reason,
    });
    expect(v.metadata.annotations['deployment.kubernetes.io/revision']).toBe(
      '3',
    );
  });
  it('does not mutate its input', () => {
    const d = deployment('r:1');
    liveView(meta('Healthy'), d);
    expect((d as any).status).toBeUndefined();
  });
});

describe('buildResourceTree', () => {
  it('links Pods to the ReplicaSet and the ReplicaSet to the Deployment', () => {
    const tree = buildResourceTree(
      [deployment('r:1'), service],
      meta('Degraded'),
    );
    const rs = tree.nodes.find((n: any) => n.kind === 'ReplicaSet');
    expect(rs.name).toBe(rsName(deployment('r:1')));
    expect(rs.parentRefs).toEqual([
      expect.objectContaining({ kind: 'Deployment', uid: 'd-uid' }),
    ]);
    const pods = tree.nodes.filter((n: any) => n.kind === 'Pod');
    expect(pods).toHaveLength(2);
    expect(
      pods.every(
        (p: any) =>
          p.parentRefs[0].uid === rs.uid && p.health.status === 'Degraded',
      ),
    ).toBe(true);
    expect(pods[0].info).toContainEqual({
      name: 'Status Reason',
      value: 'CrashLoopBackOff',
    });
  });
  it('changes the ReplicaSet name when the pod template changes', () => {
    expect(rsName(deployment('r:1'))).not.toBe(rsName(deployment('r:2')));
  });
});

describe('managedResourceItems', () => {
  const target = (image: string): KubeObject[] => {
    const {
      uid: _u,
      resourceVersion: _r,
      creationTimestamp: _c,
      generation: _g,
      ...m
    } = deployment(image).metadata;
    return [{ ...deployment(image), metadata: m }];
  };
  it('encodes states as JSON strings and marks modified resources', () => {
    const same = managedResourceItems(
      target('r:1'),
      [deployment('r:1')],
      meta('Healthy'),
      {},
    ).items[0];
    expect(same.modified).toBe(false);
    expect(JSON.parse(same.normalizedLiveState)).toEqual(
      JSON.parse(same.predictedLiveState),
    );
    const changed = managedResourceItems(
      target('r:2'),
      [deployment('r:1')],
      meta('Healthy'),
      {},
    ).items[0];
    expect(changed.modified).toBe(true);
    expect(JSON.parse(changed.liveState).status.readyReplicas).toBe(2);
  });
  it('uses "null" for a missing live or target state and honours filters', () => {
    const added = managedResourceItems(target('r:1'), [], meta('Healthy'), {})
      .items[0];
    expect(added.liveState).toBe('null');
    const pruned = managedResourceItems([], [service], meta('Healthy'), {})
      .items[0];
    expect(pruned.targetState).toBe('null');
    expect(
      managedResourceItems(target('r:1'), [service], meta('Healthy'), {
        kind: 'Service',
      }).items.map((i: any) => i.kind),
    ).toEqual(['Service']);
  });
});
