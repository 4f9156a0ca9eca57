import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ChangeDetailDialog } from './ChangeDetailDialog';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { makeChange } from '../../__testUtils__/fixtures';
import type { GitOpsPermissions } from '../../hooks/useGitOpsPermissions';

const server = setupServer();
jest.setTimeout(30000);

const perms: GitOpsPermissions = {
  create: { loading: false, allowed: false },
  approve: { loading: false, allowed: true },
  override: { loading: false, allowed: false },
};

describe('ChangeDetailDialog', () => {
  registerMswTestHooks(server);

  it('shows approvers the target fixed when the change was requested', async () => {
    const change = makeChange({
      id: 'c1',
      target: {
        instance: 'local',
        application: 'python-api-base-prod',
        project: 'shop',
        pipeline: 'standard',
        writeBack: 'git gitops:envs/prod/values.yaml image.tag',
      },
    });
    useBackend(server, { changes: [change] });
    await renderWithApis(
      <ChangeDetailDialog
        changeId="c1"
        userRef="user:default/bob"
        pendingForMe={new Set(['c1'])}
        perms={perms}
        onClose={() => {}}
        onChanged={() => {}}
      />,
      { user: 'user:default/bob' },
    );
    expect(await screen.findByTestId('change-target')).toHaveTextContent(
      'Argo CD app python-api-base-prod on instance local, pipeline standard, project shop, writes git gitops:envs/prod/values.yaml image.tag',
    );
    expect(
      screen.getByText('Runs against (fixed when requested)'),
    ).toBeInTheDocument();
  });

  it('shows no target line for a change made before targets were stored', async () => {
    useBackend(server, { changes: [makeChange({ id: 'c2' })] });
    await renderWithApis(
      <ChangeDetailDialog
        changeId="c2"
        pendingForMe={new Set()}
        perms={perms}
        onClose={() => {}}
        onChanged={() => {}}
      />,
      { user: 'user:default/bob' },
    );
    expect(await screen.findByText('Requested by')).toBeInTheDocument();
    expect(screen.queryByTestId('change-target')).not.toBeInTheDocument();
  });
});
