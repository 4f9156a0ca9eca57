/*
 * Live updates against the real Argo CD emulator: two backend replicas, each
 * with its own application mirror feeding its own signal publisher; a change
 * made in Argo CD reaches the entity channel of both (each replica serves
 * the browsers connected to it).
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EmulatorHandle, startEmulator } from '@internal/argocd-emulator';
import { GitOpsEntitySignal } from '@internal/plugin-gitops-common';
import { DEFAULT_BINDINGS } from '../binding/types';
import { readPipelines } from '../config/readPipelines';
import { EnvironmentSignals } from './EnvironmentSignals';
import { GitOpsSignalPublisher } from './GitOpsSignalPublisher';
import { fakeSignals } from './__testUtils__/fakes';
import { emulatorReplica } from '../mirror/__testUtils__/emulatorReplica';

jest.setTimeout(60_000);

const REF = 'component:default/python-api-base';
const CHANNEL = `gitops:entity:${REF}`;

const pipelines = readPipelines(
  new ConfigReader({
    gitops: {
      defaultPipeline: 'standard',
      pipelines: {
        standard: {
          applicationName: '{app}-{env}',
          environments: [
            { name: 'dev', instance: 'local' },
            { name: 'staging', instance: 'local' },
            { name: 'prod', instance: 'local' },
          ],
        },
      },
    },
  }),
  ['local'],
);

let emu: EmulatorHandle;
const stops: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  emu = await startEmulator({
    port: 0,
    instance: 'local',
    operationDurationMs: 50,
    healthProgressingMs: 50,
    reconcileIntervalMs: 3_600_000,
  });
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});
afterAll(async () => {
  await emu?.stop();
});

function replica() {
  const { client, mirrors } = emulatorReplica(emu);
  const signals = fakeSignals({ aside: ['gitops:fleet', 'gitops:changes'] });
  const logger = mockServices.logger.mock();
  const publisher = new GitOpsSignalPublisher({
    signals: signals.service,
    logger,
  });
  const detach = new EnvironmentSignals({
    sink: publisher,
    bindings: DEFAULT_BINDINGS,
    pipelines,
    logger,
  }).attach(mirrors);
  mirrors.start();
  stops.push(async () => {
    detach();
    publisher.stop();
    await mirrors.stop();
  });
  return { client, mirrors, published: signals.published };
}

/** Polls a condition until a deadline (a wait, not a timing assertion). */
async function until<T>(what: string, fn: () => T | undefined | false) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 10));
  }
}

describe('live updates against the emulator', () => {
  it('a change in Argo CD reaches the entity channel on every replica, naming the environment and nothing else', async () => {
    const a = replica();
    const b = replica();
    await until(
      'both mirrors live',
      () => a.mirrors.isLive('local') && b.mirrors.isLive('local'),
    );
    // the initial list is news too (every bound application is new): wait for it
    const hasStaging = (r: typeof a) =>
      r.published.some(
        p =>
          p.channel === CHANNEL &&
          (p.message as GitOpsEntitySignal).environments.includes('staging'),
      );
    await until(
      'the initial list published',
      () => hasStaging(a) && hasStaging(b),
    );
    const since = [a.published.length, b.published.length];

    const name = 'python-api-base-staging';
    const spec = (await a.client.getApplication('local', name)).spec;
    const marker = `signals-${Date.now()}`;
    const t0 = Date.now();
    await a.client.updateSpec('local', name, {
      ...spec,
      source: {
        ...spec.source!,
        helm: {
          ...spec.source!.helm,
          parameters: [
            ...(spec.source!.helm?.parameters ?? []).filter(
              p => p.name !== 'signals.marker',
            ),
            { name: 'signals.marker', value: marker },
          ],
        },
      },
    });

    for (const [i, r] of [a, b].entries()) {
      const message = await until(`replica ${i} publishes`, () =>
        r.published
          .slice(since[i])
          .find(
            p =>
              p.channel === CHANNEL &&
              (p.message as GitOpsEntitySignal).environments.includes(
                'staging',
              ),
          ),
      );
      expect(message.recipients).toEqual({ type: 'broadcast' });
      const m = message.message as GitOpsEntitySignal;
      expect(Object.keys(m).sort()).toEqual([
        'changes',
        'entityRef',
        'environments',
        'observedAt',
        'sentAt',
      ]);
      expect(m.entityRef).toBe(REF);
      expect(m.changes).toEqual([]);
      expect(m.observedAt).toBeGreaterThanOrEqual(t0);
      // nothing of the application travels: not the marker, not the image
      expect(JSON.stringify(m)).not.toContain(marker);
      expect(JSON.stringify(m)).not.toContain('example.org');
    }
  });
});
