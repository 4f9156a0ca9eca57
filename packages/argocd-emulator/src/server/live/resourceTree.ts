/** The resource tree (pure): Deployment -> ReplicaSet -> Pods, and Services, with health and info. */
import { groupOf, imagesOf, versionOf } from '../../logic/compare';
import type { KubeObject } from '../../logic/types';
import { LiveMeta, liveView, rsName, safeHash, uidFor } from './liveViews';

export function buildResourceTree(live: KubeObject[], meta: LiveMeta) {
  const nodes: any[] = [];
  const createdAt = (o: KubeObject) => o.metadata.creationTimestamp as string;
  for (const raw of live) {
    const o = liveView(meta, raw);
    const group = groupOf(o.apiVersion);
    const ref = {
      ...(group ? { group } : {}),
      version: versionOf(o.apiVersion),
      kind: o.kind,
      namespace: o.metadata.namespace ?? '',
      name: o.metadata.name,
      uid: o.metadata.uid as string,
    };
    if (o.kind === 'Deployment') {
      const d: any = o;
      const phase = meta.phase;
      const health = {
        Healthy: { status: 'Healthy' },
        Degraded: {
          status: 'Degraded',
          message: `Deployment "${o.metadata.name}" exceeded its progress deadline`,
        },
        Progressing: {
          status: 'Progressing',
          message: `Waiting for rollout to finish: 0 of ${d.spec.replicas} updated replicas are available...`,
        },
      }[phase] as { status: string; message?: string };
      const images = imagesOf([o]);
      // Argo CD counts containers plus restartable (native sidecar) init containers
      const podSpec = d.spec?.template?.spec ?? {};
      const total =
        (podSpec.containers?.length ?? 1) +
        (podSpec.initContainers ?? []).filter(
          (c: any) => c.restartPolicy === 'Always',
        ).length;
      nodes.push({
        ...ref,
        resourceVersion: o.metadata.resourceVersion,
        health,
        info: [{ name: 'Revision', value: `Rev:${meta.deployRevision}` }],
        createdAt: createdAt(o),
      });
      const rs = rsName(d);
      const rsUid = uidFor(`${ref.uid}/${rs}`);
      nodes.push({
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: ref.namespace,
        name: rs,
        uid: rsUid,
        parentRefs: [ref],
        resourceVersion: o.metadata.resourceVersion,
        health: {
          status: health.status,
          ...(health.message ? { message: health.message } : {}),
        },
        info: [{ name: 'Revision', value: `Rev:${meta.deployRevision}` }],
        createdAt: meta.phaseSince,
      });
      const n = d.spec.replicas ?? 1;
      for (let i = 0; i < n; i++) {
        const podName = `${rs}-${safeHash(`${rs}/${i}`, 5)}`;
        const podHealth = {
          Healthy: { status: 'Healthy' },
          Degraded: {
            status: 'Degraded',
            message: 'back-off 5m0s restarting failed container',
          },
          Progressing: { status: 'Progressing' },
        }[phase];
        const reason = {
          Healthy: 'Running',
          Degraded: 'CrashLoopBackOff',
          Progressing: 'ContainerCreating',
        }[phase];
        nodes.push({
          version: 'v1',
          kind: 'Pod',
          namespace: ref.namespace,
          name: podName,
          uid: uidFor(`${rsUid}/${i}`),
          parentRefs: [
            {
              group: 'apps',
              version: 'v1',
              kind: 'ReplicaSet',
              namespace: ref.namespace,
              name: rs,
              uid: rsUid,
            },
          ],
          resourceVersion: o.metadata.resourceVersion,
          health: podHealth,
          info: [
            { name: 'Status Reason', value: reason },
            { name: 'Node', value: 'emulator-node-1' },
            {
              name: 'Containers',
              value: `${phase === 'Healthy' ? total : 0}/${total}`,
            },
            ...(phase === 'Degraded'
              ? [{ name: 'Restart Count', value: '7' }]
              : []),
          ],
          images,
          createdAt: meta.phaseSince,
        });
      }
    } else {
      const svc: any = o;
      nodes.push({
        ...ref,
        resourceVersion: o.metadata.resourceVersion,
        health: { status: 'Healthy' },
        createdAt: createdAt(o),
        ...(o.kind === 'Service'
          ? { networkingInfo: { targetLabels: svc.spec?.selector ?? {} } }
          : {}),
      });
    }
  }
  nodes.sort((a, b) =>
    `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
  );
  return {
    nodes,
    hosts: [
      {
        name: 'emulator-node-1',
        resourcesInfo: [],
        systemInfo: {
          architecture: 'amd64',
          operatingSystem: 'linux',
          kernelVersion: '6.1.0',
          containerRuntimeVersion: 'containerd://1.7.0',
        },
      },
    ],
  };
}
