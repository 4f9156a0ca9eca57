import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { EntityGitOpsContent } from '../EntityGitOpsContent/EntityGitOpsContent';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import { preview } from '../../__testUtils__/fixtures';

const server = setupServer();
jest.setTimeout(30000);

async function openPromote() {
  await userEvent.click(
    await within(
      await screen.findByRole('region', { name: 'Environment dev' }),
    ).findByRole('button', { name: 'Promote to staging' }),
  );
  return within(
    await screen.findByRole('dialog', { name: 'Promote dev → staging' }),
  );
}

describe('ChangeDialog pre-fill', () => {
  registerMswTestHooks(server);

  it('takes back a pre-filled version the target tag pattern refuses; a typed one stays', async () => {
    const asked: string[] = [];
    useBackend(server, {
      preview: body => {
        asked.push(body.version);
        const refused = body.version === 'v1.2.0-rc.2';
        return {
          ...preview,
          allowed: !refused,
          version: body.version,
          checks: [
            {
              id: 'tag-pattern',
              status: refused ? 'fail' : 'pass',
              message: refused
                ? `'${body.version}' does not match staging's tag pattern ^v\\d+\\.\\d+\\.\\d+-beta\\.\\d+$`
                : `${body.version} matches staging's tag pattern`,
            },
          ],
        };
      },
    });
    await renderWithApis(<EntityGitOpsContent />);
    const dialog = await openPromote();
    const field = dialog.getByLabelText('Version to run');
    // the derived rc was offered, the policy refused its pattern: nothing is pre-filled
    const long = { timeout: 10_000 };
    await waitFor(() => expect(asked).toContain('v1.2.0-rc.2'), long);
    await waitFor(() => expect(field).toHaveValue(''), long);
    // what a person types is theirs, refused or not
    await userEvent.type(field, 'v1.2.0-rc.2');
    await waitFor(
      () => expect(asked.filter(v => v === 'v1.2.0-rc.2')).toHaveLength(2),
      long,
    );
    expect(
      await dialog.findByText(/does not match staging's tag pattern/, {}, long),
    ).toBeInTheDocument();
    expect(field).toHaveValue('v1.2.0-rc.2');
  });
});
