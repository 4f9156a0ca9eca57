import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { makeChange } from '../../__testUtils__/fixtures';

// The link of a GitOps notification is the entity's GitOps tab with
// `?change=<id>`: the tab opens that change's review.

const server = setupServer();
jest.setTimeout(60_000);
const slow = { timeout: 30_000 };

describe('GitOps tab opened from a notification link', () => {
  registerMswTestHooks(server);

  it('?change=<id> opens the review of that change for the approver; closing it stays closed', async () => {
    const change = makeChange();
    useBackend(server, { changes: [change], pending: [change] });
    await renderWithApis(<EntityGitOpsContent />, {
      user: 'user:default/bob',
      routeEntries: ['/?change=chg-1'],
    });
    expect(
      await screen.findByRole('dialog', { name: 'Promotion in prod' }, slow),
    ).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    await waitFor(
      () =>
        expect(
          screen.queryByRole('dialog', { name: 'Promotion in prod' }),
        ).not.toBeInTheDocument(),
      slow,
    );
  });

  it('without the parameter no review opens', async () => {
    useBackend(server, { changes: [makeChange()], pending: [] });
    await renderWithApis(<EntityGitOpsContent />, {
      user: 'user:default/bob',
    });
    await screen.findAllByText('prod', undefined, slow);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
