import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { ChangesList } from './ChangesList';
import { makeChange } from '../../__testUtils__/fixtures';

describe('ChangesList', () => {
  it('says when there are no change requests', async () => {
    await renderInTestApp(<ChangesList changes={[]} onOpen={jest.fn()} />);
    expect(screen.getByText('No change requests yet.')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('lists the changes in a table and opens one', async () => {
    const a = makeChange({ id: 'a' });
    const b = makeChange({
      id: 'b',
      kind: 'rollback',
      environment: 'staging',
      state: 'succeeded',
      version: undefined,
      fromVersion: 'v1.1.0',
      rollbackTo: { version: 'v1.0.0' },
      requestedBy: 'user:default/bob',
      override: true,
    });
    const onOpen = jest.fn();
    await renderInTestApp(<ChangesList changes={[a, b]} onOpen={onOpen} />);
    const table = within(
      within(screen.getByRole('region', { name: 'Changes' })).getByRole(
        'table',
      ),
    );
    const header = table.getAllByRole('row')[0];
    expect(header).toHaveTextContent(
      /Change.*Environment.*State.*Requested by.*Requested/,
    );
    const rows = table.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Promotion v1.1.0 → v1.2.0');
    expect(rows[0]).toHaveTextContent('prod');
    expect(rows[0]).toHaveTextContent('awaiting approval');
    expect(rows[0]).toHaveTextContent('alice');
    expect(rows[0]).not.toHaveTextContent('EMERGENCY OVERRIDE');
    expect(rows[1]).toHaveTextContent('Rollback v1.1.0 → v1.0.0');
    expect(rows[1]).toHaveTextContent('staging');
    expect(rows[1]).toHaveTextContent('succeeded');
    expect(rows[1]).toHaveTextContent('bob');
    expect(rows[1]).toHaveTextContent('EMERGENCY OVERRIDE');

    await userEvent.click(
      table.getByRole('button', { name: 'View change: Rollback staging' }),
    );
    expect(onOpen).toHaveBeenCalledWith(b);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });
});
