import { screen, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityGitOpsSummaryCard } from './EntityGitOpsSummaryCard';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import {
  makeChange,
  makeState,
  unconfiguredEntity,
} from '../../__testUtils__/fixtures';

const server = setupServer();
jest.setTimeout(30000);

describe('EntityGitOpsSummaryCard', () => {
  registerMswTestHooks(server);

  it('shows each environment with version, statuses and its open change', async () => {
    useBackend(server, {
      state: makeState({ staging: { syncStatus: 'OutOfSync' } }),
      changes: [makeChange()],
    });
    await renderWithApis(<EntityGitOpsSummaryCard />);
    const prod = within(await screen.findByLabelText('Environment prod'));
    expect(prod.getByText('v1.1.0')).toBeInTheDocument();
    expect(prod.getByLabelText('Change awaiting approval')).toBeInTheDocument();
    const staging = within(screen.getByLabelText('Environment staging'));
    expect(
      staging.getByLabelText('Sync status: OutOfSync'),
    ).toBeInTheDocument();
    expect(screen.getByText('Pipeline: standard')).toBeInTheDocument();
  });

  it('explains the annotations for an unconfigured entity', async () => {
    await renderWithApis(<EntityGitOpsSummaryCard />, {
      entity: unconfiguredEntity,
    });
    expect(
      screen.getByText('GitOps is not configured for this entity'),
    ).toBeInTheDocument();
  });
});
