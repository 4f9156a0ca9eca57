import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
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

  describe('with the verification the tab already has (initial)', () => {
    afterEach(() => server.events.removeAllListeners());

    /** The panel under a tab whose overview the test replaces (a refetch). */
    function Tab(props: {
      first: EnvironmentVerification;
      onSet: (set: (v: EnvironmentVerification) => void) => void;
    }) {
      const [initial, setInitial] = useState(props.first);
      props.onSet(setInitial);
      return (
        <VerificationPanel
          entity={ENTITY}
          env="staging"
          version={initial.version}
          initial={initial}
        />
      );
    }

    function countRequests() {
      const seen = { gets: 0, posts: 0 };
      server.events.on('request:start', ({ request }) => {
        if (!request.url.startsWith(PATH)) return;
        if (request.method === 'GET') seen.gets++;
        if (request.method === 'POST') seen.posts++;
      });
      return seen;
    }

    it('renders it without a request and shows the new one when the tab refetched', async () => {
      const seen = countRequests();
      server.use(
        http.get(PATH, () =>
          HttpResponse.json(
            state({ signOff: undefined, automated: undefined }),
          ),
        ),
      );
      let setInitial!: (v: EnvironmentVerification) => void;
      await renderWithApis(
        <Tab first={state()} onSet={set => (setInitial = set)} />,
      );
      const panel = within(
        screen.getByRole('region', {
          name: 'Verification of v1.2.0-rc.2 in staging',
        }),
      );
      expect(panel.getByText('Awaiting sign-off')).toBeInTheDocument();

      // the tab refetched: erin signed off in the meantime
      const d = decision({ comment: 'looks good' });
      act(() =>
        setInitial(
          state({
            signOff: {
              status: 'verified',
              decision: d,
              groups: ['group:default/qa'],
            },
            decisions: [d],
          }),
        ),
      );
      expect(await panel.findByText('Verified')).toBeInTheDocument();
      expect(panel.getByText(/erin.*: looks good/)).toBeInTheDocument();

      // and the next version ran: a new panel title, still nothing fetched
      act(() => setInitial(state({ version: 'v1.2.0-rc.3' })));
      expect(
        await screen.findByRole('region', {
          name: 'Verification of v1.2.0-rc.3 in staging',
        }),
      ).toBeInTheDocument();
      await new Promise(r => setTimeout(r, 100));
      expect(seen.gets).toBe(0);
    });

    it('fetches when it is of another version than the one shown', async () => {
      const seen = countRequests();
      server.use(
        http.get(PATH, () =>
          HttpResponse.json(state({ version: 'v1.2.0-rc.3' })),
        ),
      );
      await renderWithApis(
        <VerificationPanel
          entity={ENTITY}
          env="staging"
          version="v1.2.0-rc.3"
          initial={state()}
        />,
      );
      expect(
        await screen.findByRole('region', {
          name: 'Verification of v1.2.0-rc.3 in staging',
        }),
      ).toBeInTheDocument();
      expect(seen.gets).toBe(1);
    });

    it("after a decision it shows the POST's answer, not the older initial", async () => {
      const seen = countRequests();
      const d = decision({ comment: 'ok', decidedAt: recent(0) });
      server.use(
        http.post(PATH, () =>
          HttpResponse.json(
            state({
              signOff: {
                status: 'verified',
                decision: d,
                groups: ['group:default/qa'],
              },
              decisions: [d],
            }),
            { status: 201 },
          ),
        ),
      );
      await renderWithApis(
        <VerificationPanel
          entity={ENTITY}
          env="staging"
          version="v1.2.0-rc.2"
          initial={state()}
        />,
        { user: 'user:default/erin' },
      );
      const panel = within(screen.getByRole('region'));
      await userEvent.click(panel.getByRole('button', { name: 'Sign off' }));
      expect(await panel.findByText('Verified')).toBeInTheDocument();
      expect(seen).toEqual({ gets: 0, posts: 1 });
    });
  });
});
