import { screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { TestApiProvider, registerMswTestHooks } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  GITOPS_CHANGES_CHANNEL,
  type ChangeRequest,
} from '@internal/plugin-gitops-common';
import { ApprovalsInbox } from './ApprovalsInbox';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { BASE, makeChange } from '../../__testUtils__/fixtures';
import { fakeSignalApi } from '../../__testUtils__/signals';

const server = setupServer();
jest.setTimeout(30000);
/** The table and cards render slowly on a loaded machine: a generous bound, not a measurement. */
const SLOW = { timeout: 10_000 };

async function rows() {
  const region = await screen.findByRole('region', { name: 'Approvals' });
  return within(within(region).getByRole('table')).getAllByRole('row').slice(1);
}

describe('ApprovalsInbox live updates', () => {
  registerMswTestHooks(server);

  it('refetches when a request starts awaiting approval or a listed one moves on; not for other movements', async () => {
    const pending: ChangeRequest[] = [makeChange({ id: 'a' })];
    useBackend(server);
    let requests = 0;
    server.use(
      http.get(`${BASE}/approvals/pending`, () => {
        requests++;
        return HttpResponse.json({ items: pending });
      }),
    );
    const signals = fakeSignalApi();
    await renderWithApis(
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        <ApprovalsInbox />
      </TestApiProvider>,
      {
        user: 'user:default/bob',
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await rows()).toHaveLength(1);
    const push = (id: string, state: ChangeRequest['state']) =>
      signals.push(GITOPS_CHANGES_CHANNEL, {
        changes: [{ id, state }],
        observedAt: 1,
        sentAt: 2,
      });

    // a new request for someone's decision
    pending.push(
      makeChange({ id: 'b', entityRef: 'component:default/payments-worker' }),
    );
    push('b', 'awaiting_approval');
    await waitFor(async () => expect(await rows()).toHaveLength(2), SLOW);
    expect(requests).toBe(2);

    // another change executing somewhere (not listed here): no refetch …
    push('zzz', 'executing');
    // … then a listed one is approved by someone else: one refetch, it leaves the inbox
    pending.splice(0, 1);
    push('a', 'approved');
    await waitFor(async () => expect(await rows()).toHaveLength(1), SLOW);
    expect(requests).toBe(3);
  });
});
