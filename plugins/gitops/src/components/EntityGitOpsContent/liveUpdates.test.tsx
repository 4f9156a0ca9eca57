import { act, screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import {
  gitopsEntityChannel,
  type GitOpsEntitySignal,
} from '@internal/plugin-gitops-common';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend as registerBackend } from '../../__testUtils__/handlers';
import { ENTITY_REF, makeState } from '../../__testUtils__/fixtures';
import { COALESCE_MS, FALLBACK_POLL_MS } from '../../hooks/useLiveRefresh';
import { fakeSignalApi } from '../../__testUtils__/signals';

const server = setupServer();
jest.setTimeout(30000);
/** The table and cards render slowly on a loaded machine: a generous bound, not a measurement. */
const SLOW = { timeout: 10_000 };

const signal = (
  over: Partial<GitOpsEntitySignal> = {},
): GitOpsEntitySignal => ({
  entityRef: ENTITY_REF,
  environments: ['dev'],
  changes: [],
  observedAt: 1,
  sentAt: 2,
  ...over,
});

/**
 * Fakes setInterval only (the fallback poll), so the test can let 30 s pass
 * while data loading, rendering and waitFor keep real time.
 */
function fakeIntervalsOnly() {
  jest.useFakeTimers({
    doNotFake: [
      'Date',
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

/** A backend whose dev version the test moves, as Argo CD would. */
function movingBackend() {
  let running = 'v1.2.0-dev.3';
  const rec = registerBackend(server, {
    state: () => makeState({ dev: { version: running } }),
  });
  return { rec, move: (v: string) => (running = v) };
}

async function devVersion() {
  const dev = within(
    await screen.findByRole('region', { name: 'Environment dev' }),
  );
  return dev.findByTestId('env-version-dev');
}

function render(
  apis: {
    signals?: SignalApi;
    config?: Parameters<typeof mockApis.config>[0] extends infer O
      ? O extends { data?: infer D }
        ? D
        : never
      : never;
  } = {},
) {
  const list: any[] = [
    [configApiRef, mockApis.config({ data: apis.config ?? {} })],
  ];
  if (apis.signals) list.push([signalApiRef, apis.signals]);
  return renderWithApis(
    <TestApiProvider apis={list}>
      <EntityGitOpsContent />
    </TestApiProvider>,
  );
}

describe('EntityGitOpsContent live updates', () => {
  registerMswTestHooks(server);
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('a signal on the entity channel refetches and the new state renders, without any poll', async () => {
    const intervals = jest.spyOn(window, 'setInterval');
    const timeouts = jest.spyOn(window, 'setTimeout');
    const signals = fakeSignalApi();
    const { rec, move } = movingBackend();
    await render({ signals: signals.api });
    expect(await devVersion()).toHaveTextContent('v1.2.0-dev.3');
    expect(signals.subscribed(gitopsEntityChannel(ENTITY_REF))).toBe(1);
    expect(rec.overviewRequests).toBe(1);

    // Argo CD moved; nothing is fetched until the backend says so: no poll is scheduled
    move('v1.2.0-dev.4');
    expect(await devVersion()).toHaveTextContent('v1.2.0-dev.3');
    const polls = (spy: jest.SpyInstance) =>
      spy.mock.calls.filter(c => c[1] === FALLBACK_POLL_MS);
    expect(polls(intervals)).toEqual([]);
    expect(polls(timeouts)).toEqual([]);

    signals.push(gitopsEntityChannel(ENTITY_REF), signal());
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.4'),
      SLOW,
    );
    expect(rec.overviewRequests).toBe(2);

    // every message is one refetch, also one identical to the last
    move('v1.2.0-dev.5');
    signals.push(gitopsEntityChannel(ENTITY_REF), signal());
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.5'),
      SLOW,
    );
    expect(rec.overviewRequests).toBe(3);
    expect(polls(intervals)).toEqual([]);
    expect(polls(timeouts)).toEqual([]);
  });

  it('one Argo CD change signalled by three replicas at once is one refetch; a later change is another', async () => {
    const signals = fakeSignalApi();
    const { rec, move } = movingBackend();
    await render({ signals: signals.api });
    expect(await devVersion()).toHaveTextContent('v1.2.0-dev.3');
    expect(rec.overviewRequests).toBe(1);

    move('v1.2.0-dev.4');
    // every replica's mirror saw it: the same change, three messages within milliseconds
    const same = signal();
    for (let replica = 0; replica < 3; replica++) {
      await act(async () => {
        signals.push(gitopsEntityChannel(ENTITY_REF), { ...same });
        await new Promise(r => setTimeout(r, 10));
      });
    }
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.4'),
      SLOW,
    );
    // once the coalescing window has passed: the first message's refetch and one for the other two
    await act(() => new Promise(r => setTimeout(r, COALESCE_MS + 100)));
    expect(rec.overviewRequests).toBe(3);
    const afterBurst = rec.overviewRequests;

    move('v1.2.0-dev.5');
    signals.push(gitopsEntityChannel(ENTITY_REF), signal());
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.5'),
      SLOW,
    );
    expect(rec.overviewRequests).toBe(afterBurst + 1);
  });

  it("another entity's signal does not refetch this tab", async () => {
    const signals = fakeSignalApi();
    const { rec, move } = movingBackend();
    await render({ signals: signals.api });
    await devVersion();
    move('v1.2.0-dev.4');
    signals.push(
      gitopsEntityChannel('component:default/billing'),
      signal({ entityRef: 'component:default/billing' }),
    );
    // then one of ours: when its refetch has rendered, the other one would have been served too
    signals.push(gitopsEntityChannel(ENTITY_REF), signal());
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.4'),
      SLOW,
    );
    expect(rec.overviewRequests).toBe(2);
  });

  it('without signals (no signals plugin in the app) the tab polls every 30 s', async () => {
    fakeIntervalsOnly();
    const { rec, move } = movingBackend();
    await render();
    expect(await devVersion()).toHaveTextContent('v1.2.0-dev.3');
    move('v1.2.0-dev.4');
    await act(async () => {
      jest.advanceTimersByTime(FALLBACK_POLL_MS - 1000);
    });
    expect(rec.overviewRequests).toBe(1);
    await act(async () => {
      jest.advanceTimersByTime(1000);
    });
    await waitFor(
      async () => expect(await devVersion()).toHaveTextContent('v1.2.0-dev.4'),
      SLOW,
    );
    expect(rec.overviewRequests).toBe(2);
  });

  it('with gitops.signals.enabled false the tab polls even though the app has signals', async () => {
    fakeIntervalsOnly();
    const signals = fakeSignalApi();
    const { rec } = movingBackend();
    await render({
      signals: signals.api,
      config: { gitops: { signals: { enabled: false } } },
    });
    await devVersion();
    await act(async () => {
      jest.advanceTimersByTime(FALLBACK_POLL_MS);
    });
    await waitFor(() => expect(rec.overviewRequests).toBe(2), SLOW);
  });

  it('says how it stays live while something runs: pushed, or polled without signals', async () => {
    const running = makeState({
      staging: {
        operation: { phase: 'Running', revision: 'abcdef1234567890' },
        health: { status: 'Progressing' },
      },
    });
    registerBackend(server, { state: running });
    const first = await render({ signals: fakeSignalApi().api });
    expect(
      await screen.findByText('Live: updates as they happen'),
    ).toBeInTheDocument();
    first.unmount();
    await render();
    expect(
      await screen.findByText('Live: updating every 30 s'),
    ).toBeInTheDocument();
  });
});
