import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import {
  blockedPreview,
  makeChange,
  makeState,
  unconfiguredEntity,
} from '../../__testUtils__/fixtures';

const server = setupServer();
jest.setTimeout(30000);

async function card(env: string) {
  return within(
    await screen.findByRole('region', { name: `Environment ${env}` }),
  );
}

describe('EntityGitOpsContent', () => {
  registerMswTestHooks(server);

  it('explains the annotations when the entity is not configured', async () => {
    await renderWithApis(<EntityGitOpsContent />, {
      entity: unconfiguredEntity,
    });
    expect(
      screen.getByText('GitOps is not configured for this entity'),
    ).toBeInTheDocument();
    expect(screen.getByText(/argocd\/app-selector/)).toBeInTheDocument();
  });

  it('shows skeletons while loading, then the cards in pipeline order', async () => {
    useBackend(server, { envDelay: 1500 });
    await renderWithApis(<EntityGitOpsContent />);
    expect(
      await screen.findByRole('progressbar', { name: 'Loading GitOps state' }),
    ).toBeInTheDocument();
    const regions = await screen.findAllByRole(
      'region',
      { name: /^Environment / },
      { timeout: 10000 },
    );
    expect(regions.map(r => r.getAttribute('aria-label'))).toEqual([
      'Environment dev',
      'Environment staging',
      'Environment prod',
    ]);
    const prod = await card('prod');
    expect(prod.getByLabelText('Version: v1.1.0')).toBeInTheDocument();
    expect(prod.getByLabelText('Sync status: Synced')).toBeInTheDocument();
    expect(prod.getByLabelText('Health: Healthy')).toBeInTheDocument();
    expect(prod.getByText(/by bob/)).toBeInTheDocument();
    expect(prod.getByText(/Window open until .*18:00 UTC/)).toBeInTheDocument();
  });

  it('shows a closed window with when it opens, and an error only on its environment', async () => {
    useBackend(server, {
      state: makeState({
        prod: {
          window: {
            open: false,
            nextOpen: '2026-11-30T06:00:00Z',
            message: 'outside the window; next opens Mon 06:00 UTC',
          },
        },
        staging: {
          error: {
            name: 'ServiceUnavailableError',
            message: 'Argo CD instance local did not answer',
            instance: 'local',
          },
          version: undefined,
          syncStatus: undefined,
          health: undefined,
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />);
    const prod = await card('prod');
    expect(
      prod.getByText(/Window closed; opens .*Mon 30 Nov 06:00 UTC/),
    ).toBeInTheDocument();
    const staging = await card('staging');
    expect(
      staging.getByText(/Argo CD instance local did not answer/),
    ).toBeInTheDocument();
    expect(prod.queryByText(/did not answer/)).not.toBeInTheDocument();
    expect(
      (await card('dev')).queryByText(/did not answer/),
    ).not.toBeInTheDocument();
  });

  it('shows a running operation with progress and says it updates live', async () => {
    useBackend(server, {
      state: makeState({
        staging: {
          operation: {
            phase: 'Running',
            revision: 'abcdef1234567890',
            message: 'waiting for healthy state',
          },
          health: { status: 'Progressing' },
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />);
    const staging = await card('staging');
    expect(
      staging.getByText(/Syncing to abcdef1: waiting for healthy state/),
    ).toBeInTheDocument();
    expect(staging.getByRole('progressbar')).toBeInTheDocument();
    // no signals API in this test app: the fallback poll (see liveUpdates.test.tsx)
    expect(screen.getByText('Live: updating every 30 s')).toBeInTheDocument();
  });

  it('shows no live label when nothing runs', async () => {
    const rec = useBackend(server);
    await renderWithApis(<EntityGitOpsContent />);
    await card('prod');
    expect(
      screen.queryByText('Live: updating every 30 s'),
    ).not.toBeInTheDocument();
    expect(rec.overviewRequests).toBe(1);
  });

  it('shows a Degraded environment loudly and blocks promotions out of it', async () => {
    useBackend(server, {
      state: makeState({
        staging: {
          health: { status: 'Degraded', message: 'CrashLoopBackOff' },
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />);
    const staging = await card('staging');
    expect(staging.getByRole('alert')).toHaveTextContent(
      'staging is Degraded: promotions out of it are blocked: CrashLoopBackOff',
    );
    expect(
      await staging.findByRole('button', {
        name: /Promote to prod \(unavailable: staging is Degraded/,
      }),
    ).toBeDisabled();
  });

  it('promotes dev → staging: version defaults to the next rc of the X.Y.Z dev runs (never its -dev tag), checks and diff shown before submit, reason sent', async () => {
    const rec = useBackend(server);
    await renderWithApis(<EntityGitOpsContent />);
    const dev = await card('dev');
    await userEvent.click(
      await dev.findByRole('button', { name: 'Promote to staging' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Promote dev → staging' }),
    );
    expect(dialog.getByLabelText('Version to run')).toHaveValue('v1.2.0-rc.2');
    expect(
      await dialog.findByText('dev runs v1.2.0-dev.3 healthy'),
    ).toBeInTheDocument();
    expect(
      dialog.getByLabelText('pass: dev runs v1.2.0-dev.3 healthy'),
    ).toBeInTheDocument();
    expect(dialog.getByText(/No approval needed/)).toBeInTheDocument();
    expect(dialog.getByText('v1.2.0-rc.1 → v1.2.0-rc.2')).toBeInTheDocument();
    expect(dialog.getByText(/^\+\s+tag: v1\.2\.0-rc\.2$/)).toBeInTheDocument();
    await userEvent.type(dialog.getByLabelText('Reason'), 'QA sign-off');
    await waitFor(() =>
      expect(
        dialog.getByRole('button', { name: 'Request promotion' }),
      ).toBeEnabled(),
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request promotion' }),
    );
    await waitFor(() => expect(rec.posts).toHaveLength(1));
    expect(rec.posts[0].body).toMatchObject({
      entityRef: 'component:default/python-api-base',
      environment: 'staging',
      kind: 'promote',
      version: 'v1.2.0-rc.2',
      reason: 'QA sign-off',
      preview: false,
    });
  });

  it('does not let a change be sent when the policy check fails', async () => {
    const rec = useBackend(server, { preview: blockedPreview });
    await renderWithApis(<EntityGitOpsContent />);
    await userEvent.click(
      await (
        await card('staging')
      ).findByRole('button', { name: 'Promote to prod' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    const version = dialog.getByLabelText('Version to run');
    await userEvent.clear(version);
    await userEvent.type(version, 'latest');
    expect(
      await dialog.findByText(
        'latest is a mutable tag and is never allowed in prod',
      ),
    ).toBeInTheDocument();
    expect(dialog.getByLabelText(/^fail: latest/)).toBeInTheDocument();
    expect(
      dialog.getByText(/The policy does not allow this change now/),
    ).toBeInTheDocument();
    expect(
      dialog.getByRole('button', { name: 'Request promotion' }),
    ).toBeDisabled();
    expect(rec.posts).toHaveLength(0);
  });

  it('disables actions with the reason when the user may not request changes', async () => {
    useBackend(server);
    await renderWithApis(<EntityGitOpsContent />, {
      deny: ['gitops.change.create'],
    });
    const dev = await card('dev');
    await waitFor(() =>
      expect(
        dev.getByRole('button', {
          name: 'Promote to staging (unavailable: You do not have permission to request changes for this entity)',
        }),
      ).toBeDisabled(),
    );
    expect(
      dev.getByRole('button', { name: /^Rollback \(unavailable/ }),
    ).toBeDisabled();
  });

  it('offers Sync only for OutOfSync environments and shows the diff', async () => {
    const rec = useBackend(server, {
      state: makeState({ prod: { syncStatus: 'OutOfSync' } }),
    });
    await renderWithApis(<EntityGitOpsContent />);
    expect(
      (await card('dev')).queryByRole('button', { name: 'Sync' }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      await (await card('prod')).findByRole('button', { name: 'Sync' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Sync prod' }),
    );
    expect(
      await dialog.findByText(/^\+\s+image: python-api-base:v1\.2\.0$/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        dialog.getByRole('button', { name: 'Request sync' }),
      ).toBeEnabled(),
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Request sync' }));
    await waitFor(() =>
      expect(rec.posts[0]?.body).toMatchObject({
        kind: 'sync',
        environment: 'prod',
      }),
    );
  });

  it('rolls back to a picked history entry', async () => {
    const rec = useBackend(server);
    await renderWithApis(<EntityGitOpsContent />);
    await userEvent.click(
      await (await card('prod')).findByRole('button', { name: 'Rollback' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Roll back prod' }),
    );
    // the running revision (#3) is not offered; Helm rows are not Argo CD rollback targets
    const option = await dialog.findByRole('radio', {
      name: /v1\.0\.0 #2 · prod: python-api-base v1\.0\.0/,
    });
    expect(dialog.queryByRole('radio', { name: /#3/ })).not.toBeInTheDocument();
    await userEvent.click(option);
    expect(await dialog.findByText('v1.1.0 → v1.0.0')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        dialog.getByRole('button', { name: 'Request rollback' }),
      ).toBeEnabled(),
    );
    await userEvent.click(
      dialog.getByRole('button', { name: 'Request rollback' }),
    );
    await waitFor(() => expect(rec.posts).toHaveLength(1));
    expect(rec.posts[0].body).toMatchObject({
      kind: 'rollback',
      environment: 'prod',
      version: 'v1.0.0',
      rollbackTo: { historyId: '2', version: 'v1.0.0' },
    });
  });

  it('shows a pending change badge; the requester cannot approve their own change but can cancel it', async () => {
    const change = makeChange();
    const rec = useBackend(server, { changes: [change], pending: [] });
    await renderWithApis(<EntityGitOpsContent />, {
      user: 'user:default/alice',
    });
    const prod = await card('prod');
    await userEvent.click(
      prod.getByRole('button', { name: 'Change awaiting approval (0/1)' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Promotion in prod' }),
    );
    expect(
      await dialog.findByText('needs 1 approval from platform-team'),
    ).toBeInTheDocument();
    expect(
      await dialog.findByRole('button', {
        name: 'Approve (unavailable: You requested this change; someone else must approve it)',
      }),
    ).toBeDisabled();
    await userEvent.click(
      await dialog.findByRole('button', { name: 'Cancel change' }),
    );
    await waitFor(() =>
      expect(rec.posts).toEqual([{ path: '/changes/chg-1/cancel', body: {} }]),
    );
  });

  it('lets an approver approve with a comment', async () => {
    const change = makeChange();
    const rec = useBackend(server, { changes: [change], pending: [change] });
    await renderWithApis(<EntityGitOpsContent />, { user: 'user:default/bob' });
    await userEvent.click(
      (
        await card('prod')
      ).getByRole('button', { name: /Change awaiting approval/ }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Promotion in prod' }),
    );
    expect(
      await dialog.findByRole('button', {
        name: /Cancel change \(unavailable: Only the requester/,
      }),
    ).toBeDisabled();
    await userEvent.type(await dialog.findByLabelText('Comment'), 'ship it');
    await userEvent.click(
      await dialog.findByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(rec.posts).toEqual([
        { path: '/changes/chg-1/approve', body: { comment: 'ship it' } },
      ]),
    );
  });

  it('lets an approver reject', async () => {
    const change = makeChange();
    const rec = useBackend(server, { changes: [change], pending: [change] });
    await renderWithApis(<EntityGitOpsContent />, {
      user: 'user:default/carol',
    });
    await userEvent.click(
      (
        await card('prod')
      ).getByRole('button', { name: /Change awaiting approval/ }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(
      await dialog.findByRole('button', { name: 'Reject' }),
    );
    await waitFor(() =>
      expect(rec.posts[0]).toEqual({ path: '/changes/chg-1/reject', body: {} }),
    );
  });

  it('hides the emergency override without the permission', async () => {
    useBackend(server, {
      state: makeState({
        prod: {
          window: {
            open: false,
            nextOpen: '2026-11-30T06:00:00Z',
            message: 'closed',
          },
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />, {
      deny: ['gitops.change.override'],
    });
    const prod = await card('prod');
    await waitFor(() =>
      expect(prod.getByRole('button', { name: 'Rollback' })).toBeEnabled(),
    );
    expect(
      prod.queryByRole('button', { name: /Emergency override/ }),
    ).not.toBeInTheDocument();
  });

  it('requires a reason for an emergency override and sends override: true', async () => {
    const rec = useBackend(server, {
      state: makeState({
        prod: {
          window: {
            open: false,
            nextOpen: '2026-11-30T06:00:00Z',
            message: 'closed',
          },
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />, {
      user: 'user:default/dave',
    });
    await userEvent.click(
      await (
        await card('prod')
      ).findByRole('button', { name: 'Emergency override' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Promote staging → prod' }),
    );
    expect(
      dialog.getByLabelText('Emergency override: bypass the sync window'),
    ).toBeChecked();
    expect(
      dialog.getByText('A reason is required for an emergency override.'),
    ).toBeInTheDocument();
    const submit = dialog.getByRole('button', {
      name: 'Deploy with emergency override',
    });
    await dialog.findByText('dev runs v1.2.0-dev.3 healthy');
    expect(submit).toBeDisabled();
    await userEvent.type(dialog.getByLabelText(/^Reason/), 'INC-42 hotfix');
    await waitFor(() => expect(submit).toBeEnabled());
    await userEvent.click(submit);
    await waitFor(() => expect(rec.posts).toHaveLength(1));
    expect(rec.posts[0].body).toMatchObject({
      override: true,
      reason: 'INC-42 hotfix',
      // the release of the rc staging runs (prod's pattern refuses the rc itself)
      version: 'v1.2.0',
    });
  });

  it('shows history (Argo CD, Helm and our changes on one timeline) and a readable diff', async () => {
    useBackend(server, {
      changes: [
        makeChange({ state: 'succeeded', updatedAt: '2026-11-27T11:00:00Z' }),
      ],
    });
    await renderWithApis(<EntityGitOpsContent />);
    await card('prod');
    await userEvent.click(screen.getByRole('tab', { name: 'History' }));
    const list = within(
      await screen.findByRole('list', { name: 'History prod' }),
    );
    const items = list.getAllByRole('listitem').map(i => i.textContent);
    expect(items[0]).toMatch(/Change request.*Promotion v1\.1\.0 → v1\.2\.0/);
    expect(items[1]).toMatch(
      /Argo CD.*v1\.1\.0 · #3.*prod: python-api-base v1\.1\.0/,
    );
    expect(items[2]).toMatch(/Helm.*python-api-base-migrations revision 5/);
    expect(
      list.getByRole('link', { name: /Open in Argo CD: v1\.1\.0/ }),
    ).toHaveAttribute(
      'href',
      'http://localhost:7080/applications/argocd/python-api-base-prod?rollback=3',
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Diff' }));
    expect(
      await screen.findByText(/^-\s+image: python-api-base:v1\.1\.0$/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Service python-api-base/),
    ).not.toBeInTheDocument();
  });

  it('shows the server error when the environments cannot be read', async () => {
    useBackend(server, {
      stateError: {
        status: 404,
        name: 'NotFoundError',
        message: 'pipeline nope is not configured',
      },
    });
    await renderWithApis(<EntityGitOpsContent />);
    expect(
      (await screen.findAllByText(/pipeline nope is not configured/)).length,
    ).toBeGreaterThan(0);
  });
  it('says when an approved change waiting for the window will run', async () => {
    const change = makeChange({ state: 'waiting_for_window' });
    useBackend(server, {
      changes: [change],
      state: makeState({
        prod: {
          window: {
            open: false,
            nextOpen: '2026-11-30T06:00:00Z',
            message: 'outside the window; next opens Mon 06:00 UTC',
          },
        },
      }),
    });
    await renderWithApis(<EntityGitOpsContent />);
    await userEvent.click(
      await (
        await card('prod')
      ).findByRole('button', { name: 'Change waiting for window v1.2.0' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Promotion in prod' }),
    );
    expect(
      await dialog.findByText(
        /^Approved; waits for the sync window and runs when it opens: .*Mon 30 Nov 06:00 UTC/,
      ),
    ).toBeInTheDocument();
  });
  it('says so when the diff cannot be read, instead of showing no differences', async () => {
    useBackend(server, {
      state: makeState({ prod: { syncStatus: 'OutOfSync' } }),
    });
    const { http, HttpResponse } = await import('msw');
    server.use(
      http.get(
        'http://example.com/api/gitops/entities/component/default/python-api-base/environments/:env/diff',
        () =>
          HttpResponse.json(
            {
              error: {
                name: 'ServiceUnavailableError',
                message: 'Argo CD instance local did not answer',
              },
              request: { method: 'GET', url: '/' },
              response: { statusCode: 503 },
            },
            { status: 503 },
          ),
      ),
    );
    await renderWithApis(<EntityGitOpsContent />);
    await userEvent.click(
      await (await card('prod')).findByRole('button', { name: 'Sync' }),
    );
    const dialog = within(
      await screen.findByRole('dialog', { name: 'Sync prod' }),
    );
    expect(
      await dialog.findByText(
        /The live-vs-Git diff of prod could not be read: Argo CD instance local did not answer/,
      ),
    ).toBeInTheDocument();
    expect(
      dialog.queryByText('No differences between live and Git.'),
    ).not.toBeInTheDocument();
  });
  it('names who requested the change that deployed what runs now', async () => {
    useBackend(server, {
      state: makeState({
        prod: {
          lastDeployedBy: 'admin',
          operation: { phase: 'Succeeded', changeId: 'chg-9' },
        },
      }),
      changes: [
        makeChange({
          id: 'chg-9',
          state: 'succeeded',
          requestedBy: 'user:default/carol',
        }),
      ],
    });
    await renderWithApis(<EntityGitOpsContent />);
    const prod = await card('prod');
    expect(
      await prod.findByText(/by admin · change requested by carol/),
    ).toBeInTheDocument();
  });
});
