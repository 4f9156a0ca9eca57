import {
  appSyncStatus,
  compareResources,
  imagesOf,
  worseHealth,
} from './compare';
import type { KubeObject } from './types';

const deploy = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
});
const svc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { ports: [{ port: 80 }] },
};
const asLive = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: {
    ...o.metadata,
    uid: 'u',
    resourceVersion: '7',
    creationTimestamp: 'x',
    generation: 2,
  },
  status: { ready: true },
});

describe('compareResources', () => {
  it('is Synced when live equals target after dropping server-set fields', () => {
    const r = compareResources(
      [svc, deploy('a:1')],
      [asLive(svc), asLive(deploy('a:1'))],
    );
    expect(r.map(x => x.status)).toEqual(['Synced', 'Synced']);
    expect(appSyncStatus(r)).toBe('Synced');
  });

  it('is OutOfSync when the image differs, a resource is missing, or one requires pruning', () => {
    expect(
      appSyncStatus(compareResources([deploy('a:2')], [asLive(deploy('a:1'))])),
    ).toBe('OutOfSync');
    const missing = compareResources(
      [svc, deploy('a:1')],
      [asLive(deploy('a:1'))],
    );
    expect(missing.find(x => x.kind === 'Service')).toMatchObject({
      status: 'OutOfSync',
      live: undefined,
    });
    const extra = compareResources(
      [deploy('a:1')],
      [asLive(deploy('a:1')), asLive(svc)],
    );
    expect(extra.find(x => x.kind === 'Service')).toMatchObject({
      status: 'OutOfSync',
      requiresPruning: true,
    });
    expect(appSyncStatus(extra)).toBe('OutOfSync');
  });

  it('an empty app is Synced', () => {
    expect(appSyncStatus(compareResources([], []))).toBe('Synced');
  });
});

describe('health and images', () => {
  it('orders health like Argo CD', () => {
    expect(worseHealth('Healthy', 'Progressing')).toBe('Progressing');
    expect(worseHealth('Degraded', 'Progressing')).toBe('Degraded');
    expect(worseHealth('Missing', 'Progressing')).toBe('Missing');
    expect(worseHealth('Degraded', 'Missing')).toBe('Degraded');
  });
  it('collects unique sorted container images', () => {
    expect(
      imagesOf([deploy('b:1'), deploy('a:1'), deploy('a:1'), svc]),
    ).toEqual(['a:1', 'b:1']);
  });
});
