import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ArgoApplication } from '../argocd/types';
import { BindingConfig, DEFAULT_BINDINGS } from '../binding/types';
import { readPipelines } from '../config/readPipelines';
import {
  ApplicationChange,
  ApplicationChangeSource,
  EnvironmentSignals,
} from './EnvironmentSignals';

const pipelines = readPipelines(
  new ConfigReader({
    gitops: {
      pipelines: {
        standard: {
          applicationName: '{app}-{env}',
          environments: [{ name: 'dev' }, { name: 'prod' }],
        },
      },
    },
  }),
  ['local'],
);

const REF = 'component:default/python-api-base';

function change(
  over: Partial<ApplicationChange> & {
    health?: string;
    reconciledAt?: string;
    labels?: Record<string, string>;
  } = {},
): ApplicationChange {
  const name = over.appName ?? 'python-api-base-dev';
  const application = {
    metadata: {
      name,
      namespace: 'argocd',
      resourceVersion: String(Math.random()),
      labels: over.labels,
      annotations: { 'gitops.backstage.io/entity-ref': REF },
    },
    spec: { project: 'shop' },
    status: {
      health: { status: over.health ?? 'Healthy' },
      reconciledAt: over.reconciledAt ?? '2026-12-01T10:00:00Z',
    },
  } as unknown as ArgoApplication;
  return {
    instance: 'local',
    appName: name,
    appNamespace: 'argocd',
    type: over.type ?? 'MODIFIED',
    application,
  };
}

function setup(
  o: {
    bindings?: BindingConfig;
    ownedBy?: (ref: string) => Promise<string[]>;
  } = {},
) {
  const calls: Array<[string, string[], number]> = [];
  const logger = mockServices.logger.mock();
  let t = 1000;
  const signals = new EnvironmentSignals({
    sink: { environmentChanged: (...args) => calls.push(args) },
    bindings: o.bindings ?? DEFAULT_BINDINGS,
    pipelines,
    ownedBy: o.ownedBy,
    logger,
    now: () => t++,
  });
  return { signals, calls, logger };
}

describe('EnvironmentSignals', () => {
  it('tells the entity which environment changed, when the mirror saw it', () => {
    const { signals, calls } = setup();
    signals.onChange(change({ type: 'ADDED' }));
    expect(calls).toEqual([[REF, ['dev'], 1000]]);
  });

  it('drops events that changed nothing a tab shows (reconcile timestamps, resourceVersion)', () => {
    const { signals, calls } = setup();
    signals.onChange(change());
    signals.onChange(change({ reconciledAt: '2026-12-01T10:03:00Z' }));
    signals.onChange(change({ reconciledAt: '2026-12-01T10:06:00Z' }));
    expect(calls).toHaveLength(1);
    signals.onChange(change({ health: 'Progressing' }));
    expect(calls).toHaveLength(2);
    // another application is tracked on its own
    signals.onChange(change({ appName: 'python-api-base-prod' }));
    expect(calls.map(c => c[1])).toEqual([['dev'], ['dev'], ['prod']]);
    expect(signals.trackedApplications).toBe(2);
  });

  it('a deletion is always told, and forgets the application', () => {
    const { signals, calls } = setup();
    signals.onChange(change());
    signals.onChange(change({ type: 'DELETED' }));
    expect(calls).toHaveLength(2);
    expect(signals.trackedApplications).toBe(0);
    // re-created with the same content: a change again
    signals.onChange(change({ type: 'ADDED' }));
    expect(calls).toHaveLength(3);
  });

  it('an application bound by owner tells every entity the owner has', async () => {
    const ownedBy = jest.fn(async (ref: string) =>
      ref === 'group:default/team-a'
        ? ['component:default/a1', REF]
        : ['component:default/b1'],
    );
    const { signals, calls } = setup({
      ownedBy,
      bindings: {
        ...DEFAULT_BINDINGS,
        rules: [
          {
            path: 'gitops.bindings.rules[0]',
            match: { names: ['python-api-base-*'] },
            entities: [],
            owners: ['group:default/team-a', 'group:default/team-b'],
          },
        ],
      },
    });
    signals.onChange(change());
    await new Promise(r => setImmediate(r));
    expect(calls.map(c => c[0]).sort()).toEqual([
      'component:default/a1',
      'component:default/b1',
      REF, // by its annotation, once
    ]);
    expect(new Set(calls.map(c => c[2]))).toEqual(new Set([1000]));
  });

  it('a failed owner lookup is logged; the named entity was told anyway', async () => {
    const { signals, calls, logger } = setup({
      ownedBy: async () => {
        throw new Error('catalog down');
      },
      bindings: {
        ...DEFAULT_BINDINGS,
        rules: [
          {
            path: 'gitops.bindings.rules[0]',
            match: { names: ['python-api-base-*'] },
            entities: [],
            owners: ['group:default/team-a'],
          },
        ],
      },
    });
    signals.onChange(change());
    await new Promise(r => setImmediate(r));
    expect(calls.map(c => c[0])).toEqual([REF]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('catalog down'),
    );
  });

  it('attach subscribes to the source and returns its unsubscribe', () => {
    const { signals, calls } = setup();
    const listeners = new Set<(c: ApplicationChange) => void>();
    const source: ApplicationChangeSource = {
      subscribe: l => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const detach = signals.attach(source);
    listeners.forEach(l => l(change()));
    detach();
    expect(listeners.size).toBe(0);
    expect(calls).toHaveLength(1);
  });
});
