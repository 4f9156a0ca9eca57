import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ArgoApplication } from '../argocd/types';
import { DEFAULT_BINDINGS } from '../binding/types';
import { readPipelines } from '../config/readPipelines';
import type { ChangeStore, StoredChange } from '../store/ChangeStore';
import { createSignals } from './createSignals';
import { ApplicationChange } from './EnvironmentSignals';
import { SignallingChangeStore } from './SignallingChangeStore';
import { fakeSignals } from './__testUtils__/fakes';

const REF = 'component:default/python-api-base';

function setup(config: object = {}) {
  const signals = fakeSignals();
  const hooks: Array<() => void | Promise<void>> = [];
  const lifecycle = {
    addShutdownHook: (fn: () => void | Promise<void>) => hooks.push(fn),
    addStartupHook: () => {},
  };
  const live = createSignals({
    config: mockServices.rootConfig({ data: config }),
    logger: mockServices.logger.mock(),
    lifecycle,
    signals: signals.service,
    catalog: { getEntities: jest.fn() },
    auth: mockServices.auth(),
    gitopsConfig: {
      bindings: DEFAULT_BINDINGS,
      pipelines: readPipelines(
        new ConfigReader({
          gitops: {
            pipelines: {
              standard: {
                applicationName: '{app}-{env}',
                environments: [{ name: 'dev' }],
              },
            },
          },
        }),
        ['local'],
      ),
    },
  });
  const listeners = new Set<(c: ApplicationChange) => void>();
  live.attach({
    subscribe: l => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  });
  const emit = () =>
    listeners.forEach(l =>
      l({
        instance: 'local',
        appName: 'python-api-base-dev',
        type: 'MODIFIED',
        application: {
          metadata: {
            name: 'python-api-base-dev',
            annotations: { 'gitops.backstage.io/entity-ref': REF },
          },
          spec: {},
        } as unknown as ArgoApplication,
      }),
    );
  const settle = () => new Promise(r => setImmediate(r));
  return { live, signals, hooks, listeners, emit, settle };
}

const store = {
  createChange: async () =>
    ({
      id: 'c1',
      entityRef: REF,
      environment: 'dev',
      state: 'awaiting_approval',
    } as StoredChange),
} as unknown as ChangeStore;

describe('createSignals', () => {
  it('on by default: the store is wrapped and mirror events are published', async () => {
    const { live, signals, emit, settle } = setup();
    const wrapped = live.wrapStore(store);
    expect(wrapped).toBeInstanceOf(SignallingChangeStore);
    await wrapped.createChange({} as any, { type: 'created' });
    emit();
    await settle();
    expect(signals.published.map(p => p.channel)).toEqual([
      `gitops:entity:${REF}`,
      'gitops:changes',
      'gitops:fleet',
    ]);
    // the mirror event fell into the open windows of the entity and the fleet
  });

  it('gitops.signals.enabled false: the store itself, nothing subscribed, nothing published', async () => {
    const { live, signals, listeners, emit, settle } = setup({
      gitops: { signals: { enabled: false } },
    });
    expect(live.wrapStore(store)).toBe(store);
    expect(listeners.size).toBe(0);
    emit();
    await settle();
    expect(signals.published).toEqual([]);
  });

  it('shutdown unsubscribes from the mirrors', async () => {
    const { hooks, listeners } = setup();
    expect(listeners.size).toBe(1);
    for (const h of hooks) await h();
    expect(listeners.size).toBe(0);
  });
});
