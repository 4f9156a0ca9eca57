import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type {
  FleetEntity,
  FleetQuery,
  FleetResponse,
} from '@internal/plugin-gitops-common';
import { gitopsApiRef, type GitopsApi } from '../../api';
import { FleetView } from './FleetPage';

jest.setTimeout(30000);

const API: FleetEntity = {
  entityRef: 'component:default/python-api-base',
  owners: ['group:default/team-a'],
  system: 'system:default/shop',
  pipeline: 'standard',
  environments: [
    {
      name: 'dev',
      order: 0,
      application: { name: 'python-api-base-dev', instance: 'local' },
      version: 'v1.3.0-rc.1',
      versionStatus: 'known',
      syncStatus: 'Synced',
      health: 'Healthy',
    },
    {
      name: 'staging',
      order: 1,
      promotesFrom: 'dev',
      application: { name: 'python-api-base-staging', instance: 'local' },
      version: 'v1.2.0-rc.2',
      versionStatus: 'known',
      syncStatus: 'OutOfSync',
      health: 'Progressing',
      operation: { phase: 'Running', changeId: 'c-9' },
    },
    {
      name: 'prod',
      order: 2,
      promotesFrom: 'staging',
      application: { name: 'python-api-base-prod', instance: 'local' },
      version: 'v1.1.0',
      versionStatus: 'known',
      syncStatus: 'Synced',
      health: 'Healthy',
      pendingChange: {
        id: 'c-1',
        state: 'awaiting_approval',
        kind: 'promote',
        version: 'v1.2.0',
      },
      window: {
        open: false,
        nextOpen: '2026-12-07T06:00:00.000Z',
        message: 'outside the window',
      },
    },
  ],
  waiting: [
    {
      from: 'dev',
      to: 'staging',
      version: 'v1.3.0-rc.1',
      current: 'v1.2.0-rc.2',
    },
  ],
  states: ['out-of-sync', 'pending-change', 'blocked-by-window', 'promotable'],
};

const WORKER: FleetEntity = {
  entityRef: 'component:default/payments-worker',
  owners: ['group:default/team-b'],
  environments: [
    {
      name: 'dev',
      order: 0,
      error: { name: 'ServiceUnavailableError', message: 'instance down' },
    },
  ],
  waiting: [],
  states: [],
};

function response(items: FleetEntity[]): FleetResponse {
  return {
    items,
    environments: ['dev', 'staging', 'prod'],
    generatedAt: '2026-12-05T23:00:00.000Z',
  };
}

/** A backend that filters by owner and state like GET /fleet does. */
function mockApi() {
  const calls: FleetQuery[] = [];
  const getFleet = jest.fn(async (q: FleetQuery = {}) => {
    calls.push(q);
    return response(
      [API, WORKER].filter(
        e =>
          (!q.owner || e.owners.includes(q.owner)) &&
          (!q.state?.length || q.state.some(s => e.states.includes(s))),
      ),
    );
  });
  return { api: { getFleet } as unknown as GitopsApi, calls, getFleet };
}

function fakeSignals() {
  const listeners = new Map<string, Array<(m: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), onMessage]);
      return { unsubscribe: () => listeners.delete(channel) };
    },
  };
  const send = (channel: string, msg: object) =>
    (listeners.get(channel) ?? []).forEach(l => l(msg));
  return { api, send, listeners };
}

async function render(api: GitopsApi, signals?: SignalApi) {
  const page = <FleetView />;
  const routes = {
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  };
  return renderInTestApp(
    signals ? (
      <TestApiProvider
        apis={[
          [gitopsApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        {page}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[gitopsApiRef, api]]}>{page}</TestApiProvider>
    ),
    routes,
  );
}

const table = async () =>
  within(
    within(await screen.findByRole('region', { name: 'Fleet' })).getByRole(
      'table',
    ),
  );

describe('FleetView', () => {
  it('shows a row per entity and a column per environment, linking to the GitOps tab', async () => {
    const { api } = mockApi();
    await render(api);
    const t = await table();
    const headers = t.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toEqual([
      'Entity',
      'Owner',
      'System',
      'dev',
      'staging',
      'prod',
      'Waiting to be promoted',
    ]);
    const rows = t.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const api0 = within(
      rows.find(r => r.textContent?.includes('python-api-base'))!,
    );
    expect(
      api0.getByRole('link', {
        name: 'Open the GitOps tab of component:default/python-api-base',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/python-api-base/gitops',
    );
    expect(api0.getByLabelText('dev: v1.3.0-rc.1')).toBeInTheDocument();
    expect(api0.getByLabelText('prod: v1.1.0')).toBeInTheDocument();
    expect(api0.getByText('team-a')).toBeInTheDocument();
    expect(api0.getByText('shop')).toBeInTheDocument();
    expect(api0.getByLabelText('Sync status: OutOfSync')).toBeInTheDocument();
    expect(api0.getByText('Operation Running')).toBeInTheDocument();
    expect(
      api0.getByLabelText('Open change in prod: Promotion awaiting approval'),
    ).toBeInTheDocument();
    expect(api0.getByText(/^Window closed; opens/)).toBeInTheDocument();
    expect(
      api0.getByLabelText(
        'v1.3.0-rc.1 is waiting in dev to be promoted to staging, which runs v1.2.0-rc.2',
      ),
    ).toHaveTextContent('v1.3.0-rc.1 → staging');

    const worker = within(
      rows.find(r => r.textContent?.includes('payments-worker'))!,
    );
    expect(
      worker.getByLabelText('dev could not be read: instance down'),
    ).toBeInTheDocument();
    expect(worker.getByText('Nothing waiting')).toBeInTheDocument();
    expect(screen.getByText('2 entities')).toBeInTheDocument();
  });

  it('filters by owner and state in the backend, and clears the filters', async () => {
    const { api, calls } = mockApi();
    await render(api);
    await table();
    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/team-b',
    );
    await waitFor(() =>
      expect(calls.at(-1)).toEqual({ owner: 'group:default/team-b' }),
    );
    await waitFor(async () =>
      expect((await table()).getAllByRole('row')).toHaveLength(2),
    );
    expect(screen.getByText('payments-worker')).toBeInTheDocument();
    // the other owner stays selectable
    expect(
      within(screen.getByLabelText('Owner')).getByRole('option', {
        name: 'team-a',
      }),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Promotable' }));
    await userEvent.click(screen.getByRole('button', { name: 'Degraded' }));
    await waitFor(() =>
      expect(calls.at(-1)).toEqual({ state: ['degraded', 'promotable'] }),
    );
    expect(screen.getByRole('button', { name: 'Degraded' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await waitFor(() =>
      expect(screen.getByText('1 entity')).toBeInTheDocument(),
    );
    expect(screen.queryByText('payments-worker')).not.toBeInTheDocument();
  });

  it('says when nothing matches and shows a load error', async () => {
    const getFleet = jest
      .fn()
      .mockResolvedValueOnce(response([]))
      .mockRejectedValueOnce(new Error('backend down'));
    await render({ getFleet } as unknown as GitopsApi);
    expect(
      await screen.findByText('No entity matches these filters.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(2));
    expect(
      await screen.findByText(/Could not load the fleet/),
    ).toBeInTheDocument();
  });

  it('reloads on every message of the fleet channel', async () => {
    const { api, getFleet } = mockApi();
    const signals = fakeSignals();
    await render(api, signals.api);
    await table();
    expect(getFleet).toHaveBeenCalledTimes(1);
    expect([...signals.listeners.keys()]).toEqual(['gitops:fleet']);
    act(() => signals.send('gitops:fleet', { observedAt: 1, sentAt: 2 }));
    await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(2));
    act(() => signals.send('gitops:fleet', { observedAt: 3, sentAt: 4 }));
    await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(3));
  });

  it('polls every 30 s when signals are unavailable', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const { api, getFleet } = mockApi();
      await render(api);
      await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(1));
      act(() => {
        jest.advanceTimersByTime(29_000);
      });
      expect(getFleet).toHaveBeenCalledTimes(1);
      act(() => {
        jest.advanceTimersByTime(1_000);
      });
      await waitFor(() => expect(getFleet).toHaveBeenCalledTimes(2));
    } finally {
      jest.useRealTimers();
    }
  });
});
