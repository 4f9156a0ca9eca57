import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ApprovalsInbox } from './ApprovalsInbox';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { makeChange } from '../../__testUtils__/fixtures';

const server = setupServer();
jest.setTimeout(30000);

describe('ApprovalsInbox', () => {
  registerMswTestHooks(server);

  it('says when nothing waits for the user', async () => {
    useBackend(server, { pending: [] });
    await renderWithApis(<ApprovalsInbox />, { user: 'user:default/bob' });
    expect(
      await screen.findByText('Nothing is waiting for your decision.'),
    ).toBeInTheDocument();
  });

  it('lists changes across entities and approves one with a comment', async () => {
    const a = makeChange({ id: 'a', reason: 'release 1.2' });
    const b = makeChange({
      id: 'b',
      entityRef: 'component:default/payments-worker',
      environment: 'prod',
      version: 'v2.0.0',
      fromVersion: 'v1.9.0',
      override: true,
      checks: [{ id: 'window', status: 'fail', message: 'outside window' }],
    });
    const rec = useBackend(server, { pending: [a, b], changes: [a, b] });
    await renderWithApis(<ApprovalsInbox />, {
      user: 'user:default/bob',
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const table = within(
      within(
        await screen.findByRole('region', { name: 'Approvals' }),
      ).getByRole('table'),
    );
    const rows = table.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('python-api-base');
    expect(rows[0]).toHaveTextContent('Promotion v1.1.0 → v1.2.0');
    expect(rows[0]).toHaveTextContent('release 1.2');
    expect(rows[1]).toHaveTextContent('payments-worker');
    expect(rows[1]).toHaveTextContent('EMERGENCY OVERRIDE');
    expect(rows[1]).toHaveTextContent('1 failing');
    await userEvent.click(
      table.getByRole('button', {
        name: 'Review: Promotion of component:default/python-api-base in prod',
      }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.type(await dialog.findByLabelText('Comment'), 'looks good');
    await userEvent.click(
      await dialog.findByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(rec.posts).toEqual([
        { path: '/changes/a/approve', body: { comment: 'looks good' } },
      ]),
    );
  });
});
