import { ArgoApplication, ArgoResourceDiff } from '../argocd/types';
import { explainOutOfSync } from './outOfSync';

const LAST = 'kubectl.kubernetes.io/last-applied-configuration';

function deploy(
  tag: string,
  extra: Record<string, unknown> = {},
  annotations?: Record<string, string>,
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'api',
      namespace: 'shop',
      ...(annotations ? { annotations } : {}),
    },
    spec: {
      replicas: 1,
      template: {
        spec: { containers: [{ name: 'api', image: `img/api:${tag}` }] },
      },
      ...extra,
    },
  };
}

function app(
  opts: { target?: string; synced?: string; resources?: any[] } = {},
): ArgoApplication {
  return {
    metadata: { name: 'api-dev' },
    spec: { project: 'p', destination: {} },
    status: {
      sync: { status: 'OutOfSync', revision: opts.target },
      ...(opts.synced ? { history: [{ id: 1, revision: opts.synced }] } : {}),
      resources: opts.resources,
    },
  } as ArgoApplication;
}

const item = (live: unknown, target: unknown): ArgoResourceDiff => ({
  group: 'apps',
  kind: 'Deployment',
  namespace: 'shop',
  name: 'api',
  liveState: live ? JSON.stringify(live) : 'null',
  targetState: target ? JSON.stringify(target) : 'null',
});

describe('explainOutOfSync', () => {
  it('live differs from what Argo CD last applied, target unchanged: changed in the cluster', () => {
    const applied = deploy('v1');
    const live = deploy(
      'v1',
      { replicas: 5 },
      { [LAST]: JSON.stringify(applied) },
    );
    const r = explainOutOfSync(app(), [item(live, deploy('v1'))]);
    expect(r.items.map(i => [i.cause, i.explanation])).toEqual([
      [
        'changed-in-cluster',
        'Live Deployment differs from what Argo CD last applied: it was changed in the cluster; Git did not change',
      ],
    ]);
  });

  it('image changed in the cluster (kubectl set image) is named with the tags', () => {
    const live = deploy('hotfix', {}, { [LAST]: JSON.stringify(deploy('v1')) });
    const r = explainOutOfSync(app(), [item(live, deploy('v1'))]);
    expect(r.items[0].explanation).toContain('(image v1 → hotfix)');
  });

  it('target differs from what was last applied: a new tag, or a values change', () => {
    const live = deploy('v1', {}, { [LAST]: JSON.stringify(deploy('v1')) });
    expect(
      explainOutOfSync(app({ target: 'f'.repeat(40) }), [
        item(live, deploy('v2')),
      ]).items[0],
    ).toMatchObject({
      cause: 'new-image-tag',
      explanation:
        'Image tag v1 → v2 in Git (revision fffffff), not applied yet',
    });
    expect(
      explainOutOfSync(app(), [item(live, deploy('v1', { replicas: 3 }))])
        .items[0].cause,
    ).toBe('target-changed');
  });

  it('without the last-applied annotation the revisions decide, else unknown', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    expect(
      explainOutOfSync(app({ target: b, synced: a }), [
        item(deploy('v1'), deploy('v2')),
      ]).items[0].cause,
    ).toBe('new-image-tag');
    expect(
      explainOutOfSync(app({ target: a, synced: a }), [
        item(deploy('v2'), deploy('v1')),
      ]).items[0].cause,
    ).toBe('changed-in-cluster');
    expect(
      explainOutOfSync(app(), [item(deploy('v2'), deploy('v1'))]).items[0]
        .cause,
    ).toBe('unknown');
  });

  it('missing and extra resources; synced resources and hooks are left out', () => {
    const r = explainOutOfSync(
      app({
        resources: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: 'shop',
            name: 'api',
            status: 'OutOfSync',
          },
        ],
      }),
      [
        item(undefined, deploy('v1')),
        { ...item(deploy('v1'), undefined), name: 'old', kind: 'Deployment' },
        { ...item(deploy('v1'), deploy('v1')), name: 'same' },
        { ...item(deploy('v1'), deploy('v2')), name: 'hook', hook: true },
      ],
    );
    expect(r.items.map(i => [i.name, i.cause])).toEqual([
      ['api', 'missing'],
      ['old', 'extra'],
    ]);
  });
});
