import { ConfigReader } from '@backstage/config';
import type { ArgoApplication } from '../argocd/types';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { readPipelines } from '../config/readPipelines';
import { applicationFingerprint } from './applicationFingerprint';
import { applicationTargets } from './applicationTargets';

const pipelines = readPipelines(
  new ConfigReader({
    gitops: {
      defaultPipeline: 'standard',
      pipelines: {
        standard: {
          applicationName: '{app}-{env}',
          environments: [
            { name: 'dev' },
            { name: 'staging' },
            { name: 'prod' },
          ],
        },
        labelled: {
          applicationName: '{app}',
          environmentLabel: 'env',
          environments: [{ name: 'qa' }, { name: 'live' }],
        },
      },
    },
  }),
  ['local'],
);

function app(
  name: string,
  meta: Partial<ArgoApplication['metadata']> = {},
  project = 'shop',
): ArgoApplication {
  return {
    metadata: { name, namespace: 'argocd', ...meta },
    spec: {
      project,
      destination: { server: 'https://kubernetes.default.svc' },
    },
  } as ArgoApplication;
}

const ANNOTATED = {
  annotations: {
    'gitops.backstage.io/entity-ref': 'component:default/python-api-base',
  },
};

describe('applicationTargets', () => {
  it('the Application naming its entity: that entity, the environment from the default pipeline', () => {
    expect(
      applicationTargets(
        app('python-api-base-staging', ANNOTATED),
        'local',
        DEFAULT_BINDINGS,
        pipelines,
      ),
    ).toEqual({
      entityRefs: ['component:default/python-api-base'],
      ownerRefs: [],
      environments: ['staging'],
    });
  });

  it('normalises a short ref and reads the pipeline annotation (environment by label)', () => {
    expect(
      applicationTargets(
        app('billing', {
          annotations: {
            'gitops.backstage.io/entity-ref': 'billing',
            'gitops.backstage.io/pipeline': 'labelled',
          },
          labels: { env: 'live' },
        }),
        'local',
        DEFAULT_BINDINGS,
        pipelines,
      ),
    ).toEqual({
      entityRefs: ['component:default/billing'],
      ownerRefs: [],
      environments: ['live'],
    });
  });

  it('platform rules add their entities, owners and pipelines; rules of other instances do not', () => {
    const bindings: BindingConfig = {
      ...DEFAULT_BINDINGS,
      rules: [
        {
          path: 'gitops.bindings.rules[0]',
          match: { projects: ['shop'], names: ['payments-*'] },
          entities: ['component:default/payments'],
          owners: [],
        },
        {
          path: 'gitops.bindings.rules[1]',
          match: { instances: ['local'], labels: { team: 'pay' } },
          entities: [],
          owners: ['group:default/team-payments'],
          pipelines: ['labelled'],
        },
        {
          path: 'gitops.bindings.rules[2]',
          match: { instances: ['secondary'] },
          entities: ['component:default/elsewhere'],
          owners: [],
        },
      ],
    };
    expect(
      applicationTargets(
        app('payments-prod', { labels: { team: 'pay', env: 'qa' } }),
        'local',
        bindings,
        pipelines,
      ),
    ).toEqual({
      entityRefs: ['component:default/payments'],
      ownerRefs: ['group:default/team-payments'],
      environments: ['qa'],
    });
  });

  it('with application annotations off, the annotation names nobody', () => {
    expect(
      applicationTargets(
        app('python-api-base-dev', ANNOTATED),
        'local',
        { ...DEFAULT_BINDINGS, applicationAnnotations: false },
        pipelines,
      ),
    ).toEqual({ entityRefs: [], ownerRefs: [], environments: ['dev'] });
  });

  it('an application no environment matches: the entity, without an environment', () => {
    expect(
      applicationTargets(
        app('something-else', ANNOTATED),
        'local',
        DEFAULT_BINDINGS,
        pipelines,
      ).environments,
    ).toEqual([]);
  });
});

describe('applicationFingerprint', () => {
  const base = {
    ...app('python-api-base-dev', ANNOTATED),
    status: {
      sync: { status: 'Synced', revision: 'abc' },
      health: { status: 'Healthy' },
      reconciledAt: '2026-12-01T10:00:00Z',
    },
  } as ArgoApplication;

  it('ignores what Argo CD rewrites on every reconcile, and key order', () => {
    const again = JSON.parse(JSON.stringify(base));
    again.metadata = { resourceVersion: '99', ...again.metadata };
    again.metadata.managedFields = [{ manager: 'argocd-controller' }];
    again.status.reconciledAt = '2026-12-01T10:03:00Z';
    again.status = { health: again.status.health, ...again.status };
    expect(applicationFingerprint(again)).toBe(applicationFingerprint(base));
  });

  it.each([
    ['health', (a: any) => (a.status.health.status = 'Progressing')],
    ['sync', (a: any) => (a.status.sync.status = 'OutOfSync')],
    ['revision', (a: any) => (a.status.sync.revision = 'def')],
    ['operation', (a: any) => (a.status.operationState = { phase: 'Running' })],
    ['a field nobody listed', (a: any) => (a.spec.newField = 1)],
  ])('changes with the %s', (_what, mutate) => {
    const changed = JSON.parse(JSON.stringify(base));
    mutate(changed);
    expect(applicationFingerprint(changed)).not.toBe(
      applicationFingerprint(base),
    );
  });
});
