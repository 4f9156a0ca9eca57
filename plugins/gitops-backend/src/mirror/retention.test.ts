import { ArgoApplication } from '../argocd/types';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { LIST_FIELDS, WATCH_FIELDS, isBindable, skeletonOf } from './retention';

const base = (annotations?: Record<string, string>): ArgoApplication =>
  ({
    metadata: {
      name: 'shop-api-prod',
      namespace: 'argocd',
      labels: { team: 'shop' },
      annotations,
    },
    spec: { project: 'shop', destination: {} },
  } as ArgoApplication);

const rules = (match: any): BindingConfig => ({
  ...DEFAULT_BINDINGS,
  rules: [
    {
      path: 'gitops.bindings.rules[0]',
      match,
      entities: ['component:default/x'],
      owners: [],
    },
  ],
});

describe('isBindable', () => {
  it('the entity annotation binds (when annotations are honoured)', () => {
    const a = base({ 'gitops.backstage.io/entity-ref': 'component:default/x' });
    expect(isBindable(DEFAULT_BINDINGS, 'local', a)).toBe(true);
    expect(
      isBindable(
        { ...DEFAULT_BINDINGS, applicationAnnotations: false },
        'local',
        a,
      ),
    ).toBe(false);
    expect(
      isBindable(
        DEFAULT_BINDINGS,
        'local',
        base({ 'gitops.backstage.io/entity-ref': '  ' }),
      ),
    ).toBe(false);
    expect(isBindable(DEFAULT_BINDINGS, 'local', base())).toBe(false);
  });
  it('a matching platform rule binds', () => {
    expect(isBindable(rules({ projects: ['shop'] }), 'local', base())).toBe(
      true,
    );
    expect(isBindable(rules({ names: ['shop-*'] }), 'local', base())).toBe(
      true,
    );
    expect(
      isBindable(rules({ labels: { team: 'shop' } }), 'local', base()),
    ).toBe(true);
    expect(isBindable(rules({ instances: ['other'] }), 'local', base())).toBe(
      false,
    );
    expect(isBindable(rules({ projects: ['ops'] }), 'local', base())).toBe(
      false,
    );
  });
});

describe('skeletonOf', () => {
  it('keeps name, namespace, project, labels, version and the binding annotations only', () => {
    const a = {
      ...base({
        'gitops.backstage.io/entity-ref': 'component:default/x',
        'gitops.backstage.io/pipeline': 'standard',
        'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(1000),
      }),
      status: { sync: { status: 'Synced' } },
    } as ArgoApplication;
    a.metadata.resourceVersion = '9';
    expect(skeletonOf(DEFAULT_BINDINGS, a)).toEqual({
      metadata: {
        name: 'shop-api-prod',
        namespace: 'argocd',
        labels: { team: 'shop' },
        annotations: {
          'gitops.backstage.io/entity-ref': 'component:default/x',
          'gitops.backstage.io/pipeline': 'standard',
        },
        resourceVersion: '9',
      },
      spec: { project: 'shop', destination: {} },
    });
  });
});

describe('projection fields', () => {
  it('list and watch ask for the same application fields, with the list version and the event type', () => {
    expect(LIST_FIELDS[0]).toBe('metadata.resourceVersion');
    expect(WATCH_FIELDS[0]).toBe('result.type');
    expect(LIST_FIELDS.slice(1).map(f => f.replace(/^items\./, ''))).toEqual(
      WATCH_FIELDS.slice(1).map(f => f.replace(/^result\.application\./, '')),
    );
    expect(WATCH_FIELDS).toContain(
      'result.application.metadata.resourceVersion',
    );
    expect(WATCH_FIELDS).not.toContain(
      'result.application.metadata.managedFields',
    );
  });
});
