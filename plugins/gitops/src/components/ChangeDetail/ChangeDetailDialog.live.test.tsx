import { screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { TestApiProvider, registerMswTestHooks } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  GITOPS_CHANGES_CHANNEL,
  type ChangeState,
} from '@internal/plugin-gitops-common';
import { ChangeDetailDialog } from './ChangeDetailDialog';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { BASE, makeDetail } from '../../__testUtils__/fixtures';
import { fakeSignalApi } from '../../__testUtils__/signals';
import type { GitOpsPermissions } from '../../hooks/useGitOpsPermissions';

const server = setupServer();
jest.setTimeout(30000);
/** The dialog renders slowly on a loaded machine: a generous bound, not a measurement. */
const SLOW = { timeout: 10_000 };

const perms: GitOpsPermissions = {
  create: { loading: false, allowed: false },
  approve: { loading: false, allowed: true },
  override: { loading: false, allowed: false },
};

describe('ChangeDetailDialog live updates', () => {
  registerMswTestHooks(server);

  it('reloads its change when a signal names it, not for other changes', async () => {
    let state: ChangeState = 'approved';
    let reads = 0;
    useBackend(server);
    server.use(
      http.get(`${BASE}/changes/:id`, ({ params }) => {
        reads++;
        return HttpResponse.json(makeDetail({ id: String(params.id), state }));
      }),
    );
    const signals = fakeSignalApi();
    await renderWithApis(
      <TestApiProvider apis={[[signalApiRef, signals.api]]}>
        <ChangeDetailDialog
          changeId="c1"
          pendingForMe={new Set()}
          perms={perms}
          onClose={() => {}}
          onChanged={() => {}}
        />
      </TestApiProvider>,
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(await dialog.findByText('approved')).toBeInTheDocument();
    const push = (id: string, s: ChangeState) =>
      signals.push(GITOPS_CHANGES_CHANNEL, {
        changes: [{ id, state: s }],
        observedAt: 1,
        sentAt: 2,
      });
    state = 'executing';
    push('other', 'executing'); // another change: no reload …
    push('c1', 'executing'); // … this one: one reload
    await waitFor(
      () => expect(dialog.getByText('executing')).toBeInTheDocument(),
      SLOW,
    );
    expect(reads).toBe(2);
  });
});
