import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { registerMswTestHooks } from '@backstage/test-utils';
import type {
  EnvironmentVerification,
  VerificationDecision,
} from '@internal/plugin-gitops-common';
import { VerificationPanel } from './VerificationPanel';
import { renderWithApis } from '../../__testUtils__/renderTab';
import { BASE } from '../../__testUtils__/fixtures';

const server = setupServer();
jest.setTimeout(30000);

const PATH = `${BASE}/entities/component/default/python-api-base/environments/staging/verification`;
const ENTITY = {
  kind: 'component',
  namespace: 'default',
  name: 'python-api-base',
};
const recent = (min: number) =>
  new Date(Date.now() - min * 60_000).toISOString();

function decision(over: Partial<VerificationDecision>): VerificationDecision {
  return {
    id: 'd1',
    version: 'v1.2.0-rc.2',
    decision: 'verified',
    decidedBy: 'user:default/erin',
    decidedAt: recent(120),
    round: 0,
    ...over,
  };
}

function state(
  over: Partial<EnvironmentVerification> = {},
): EnvironmentVerification {
  return {
    entityRef: 'component:default/python-api-base',
    environment: 'staging',
    configured: true,
    version: 'v1.2.0-rc.2',
    signOff: { status: 'pending', groups: ['group:default/qa'] },
    automated: {
      status: 'pass',
      message:
        'its PostSync hooks succeeded (Job/python-api-base-smoke-test); it has been Healthy for 3 h',
      soakMs: 0,
    },
    decisions: [],
    canSignOff: true,
    ...over,
  };
}

describe('VerificationPanel', () => {
  registerMswTestHooks(server);

  it('renders nothing when the environment has no verification', async () => {
    let asked = 0;
    server.use(
      http.get(PATH, () => {
        asked++;
        return HttpResponse.json(state({ configured: false }));
      }),
    );
    await renderWithApis(<VerificationPanel entity={ENTITY} env="staging" />);
    await waitFor(() => expect(asked).toBe(1));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('QA signs off the running version with a comment', async () => {
    const posts: unknown[] = [];
    server.use(
      http.get(PATH, () => HttpResponse.json(state())),
      http.post(PATH, async ({ request }) => {
        const body = await request.json();
        posts.push(body);
        const d = decision({
          comment: 'checkout and login tested',
          decidedAt: recent(0),
        });
        return HttpResponse.json(
          state({
            signOff: {
              status: 'verified',
              decision: d,
              groups: ['group:default/qa'],
            },
            decisions: [d],
          }),
          { status: 201 },
        );
      }),
    );
    await renderWithApis(<VerificationPanel entity={ENTITY} env="staging" />, {
      user: 'user:default/erin',
    });
    const panel = within(
      await screen.findByRole('region', {
        name: 'Verification of v1.2.0-rc.2 in staging',
      }),
    );
    expect(panel.getByText('Awaiting sign-off')).toBeInTheDocument();
    expect(panel.getByText('Automated checks passed')).toBeInTheDocument();
    expect(panel.getByText(/PostSync hooks succeeded/)).toBeInTheDocument();
    expect(panel.getByText('Sign-off by group:default/qa')).toBeInTheDocument();
    expect(panel.getByText('No decisions yet.')).toBeInTheDocument();
    // failing needs a comment
    expect(panel.getByRole('button', { name: 'Fail' })).toBeDisabled();
    await userEvent.type(
      panel.getByLabelText('Comment'),
      'checkout and login tested',
    );
    await userEvent.click(panel.getByRole('button', { name: 'Sign off' }));
    await waitFor(() =>
      expect(posts).toEqual([
        {
          version: 'v1.2.0-rc.2',
          decision: 'verified',
          comment: 'checkout and login tested',
        },
      ]),
    );
    expect(await panel.findByText('Verified')).toBeInTheDocument();
    const list = within(panel.getByRole('list', { name: 'Decisions' }));
    expect(
      list.getByText(/v1\.2\.0-rc\.2 verified by erin/),
    ).toBeInTheDocument();
    expect(list.getByText(/checkout and login tested/)).toBeInTheDocument();
    // one decision per version: Sign off is no longer offered, Fail (revoke) and a new request are
    expect(panel.getByRole('button', { name: 'Sign off' })).toBeDisabled();
    expect(
      panel.getByRole('button', { name: 'Request a new sign-off' }),
    ).toBeEnabled();
  });

  it('shows a failed QA with who and why, and the 409 of a late second decision', async () => {
    const failed = decision({
      id: 'd2',
      decision: 'failed',
      comment: 'payment page broken',
      decidedAt: recent(5),
    });
    server.use(
      http.get(PATH, () =>
        HttpResponse.json(
          state({
            signOff: {
              status: 'failed',
              decision: failed,
              groups: ['group:default/qa'],
            },
            decisions: [failed, decision({})],
          }),
        ),
      ),
      http.post(PATH, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message:
                'v1.2.0-rc.2 already failed QA, decided by erin 5 min ago (payment page broken); request a new sign-off to decide again',
            },
          },
          { status: 409 },
        ),
      ),
    );
    await renderWithApis(<VerificationPanel entity={ENTITY} env="staging" />, {
      user: 'user:default/frank',
    });
    const panel = within(await screen.findByRole('region'));
    expect(panel.getByText('Failed QA')).toBeInTheDocument();
    expect(panel.getByText(/erin.*: payment page broken/)).toBeInTheDocument();
    await userEvent.click(
      panel.getByRole('button', { name: 'Request a new sign-off' }),
    );
    expect(
      await panel.findByText(/already failed QA, decided by erin/),
    ).toBeInTheDocument();
  });

  it('people outside the sign-off groups see the state but no buttons', async () => {
    server.use(
      http.get(PATH, () => HttpResponse.json(state({ canSignOff: false }))),
    );
    await renderWithApis(<VerificationPanel entity={ENTITY} env="staging" />, {
      user: 'user:default/alice',
    });
    const panel = within(await screen.findByRole('region'));
    expect(
      panel.getByText('Only members of group:default/qa sign off here.'),
    ).toBeInTheDocument();
    expect(panel.queryByRole('button')).not.toBeInTheDocument();
  });
});
