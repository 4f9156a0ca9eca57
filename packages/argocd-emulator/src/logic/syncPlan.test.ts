import { planSync, tagOfImage } from './syncPlan';
import type { KubeObject } from './types';

const svc: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { port: 80 },
};
const deploy = (image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns' },
  spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
});
const cm: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'old', namespace: 'ns' },
  data: {},
};
const live = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, uid: 'u', resourceVersion: '1' },
});
const never = () => false;

const messages = (p: ReturnType<typeof planSync>) =>
  p.results.map(r => `${r.kind}:${r.status}:${r.message}`);

describe('planSync', () => {
  it('creates, configures and leaves unchanged', () => {
    const p = planSync({
      target: [svc, deploy('r:2')],
      live: [live(deploy('r:1'))],
      sync: {},
      isSyncFailTag: never,
    });
    expect(messages(p)).toEqual([
      'Service:Synced:service/web created',
      'Deployment:Synced:deployment.apps/web configured',
    ]);
    const same = planSync({
      target: [svc],
      live: [live(svc)],
      sync: {},
      isSyncFailTag: never,
    });
    expect(messages(same)).toEqual(['Service:Synced:service/web unchanged']);
    expect(p.failing).toBe(false);
    expect(p.partial).toBe(false);
  });

  it('marks dry runs and server-side apply', () => {
    expect(
      messages(
        planSync({
          target: [svc],
          live: [],
          sync: { dryRun: true },
          isSyncFailTag: never,
        }),
      ),
    ).toEqual(['Service:Synced:service/web created (dry run)']);
    expect(
      messages(
        planSync({
          target: [svc],
          live: [],
          sync: { dryRun: true, syncOptions: ['ServerSideApply=true'] },
          isSyncFailTag: never,
        }),
      ),
    ).toEqual([
      'Service:Synced:service/web serverside-applied (server dry run)',
    ]);
  });

  it('prunes only with prune, and skips otherwise', () => {
    const pruned = planSync({
      target: [svc],
      live: [live(svc), live(cm)],
      sync: { prune: true },
      isSyncFailTag: never,
    });
    expect(messages(pruned)).toContain('ConfigMap:Pruned:pruned');
    expect(pruned.toPrune).toEqual(['/ConfigMap/ns/old']);
    const skipped = planSync({
      target: [svc],
      live: [live(svc), live(cm)],
      sync: {},
      isSyncFailTag: never,
    });
    expect(messages(skipped)).toContain(
      'ConfigMap:PruneSkipped:ignored (requires pruning)',
    );
    expect(skipped.toPrune).toEqual([]);
  });

  it('partial syncs apply only the named resources and never prune', () => {
    const p = planSync({
      target: [svc, deploy('r:2')],
      live: [live(deploy('r:1')), live(cm)],
      sync: {
        prune: true,
        resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }],
      },
      isSyncFailTag: never,
    });
    expect(p.partial).toBe(true);
    expect(p.selected.map(o => o.kind)).toEqual(['Deployment']);
    expect(messages(p)).toEqual([
      'Deployment:Synced:deployment.apps/web configured',
    ]);
    expect(p.toPrune).toEqual([]);
  });

  it('ApplyOutOfSyncOnly skips synced resources', () => {
    const p = planSync({
      target: [svc, deploy('r:2')],
      live: [live(svc), live(deploy('r:1'))],
      sync: { syncOptions: ['ApplyOutOfSyncOnly=true'] },
      isSyncFailTag: never,
    });
    expect(p.results.map(r => r.kind)).toEqual(['Deployment']);
  });

  it('fails the Deployment of a failing tag', () => {
    const p = planSync({
      target: [svc, deploy('r:v9-syncfail')],
      live: [],
      sync: {},
      isSyncFailTag: t => t.includes('syncfail'),
    });
    expect(p.failing).toBe(true);
    expect(p.results.find(r => r.kind === 'Deployment')).toMatchObject({
      status: 'SyncFailed',
      hookPhase: 'Failed',
      images: ['r:v9-syncfail'],
    });
  });
});

describe('tagOfImage', () => {
  it.each([
    ['r/x:v1', 'v1'],
    ['registry:5000/x:v2', 'v2'],
    ['registry:5000/x', 'latest'],
    ['x', 'latest'],
  ])('%s -> %s', (image, tag) => {
    expect(tagOfImage(image)).toBe(tag);
  });
});
