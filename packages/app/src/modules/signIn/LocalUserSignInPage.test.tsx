import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  MockConfigApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  configApiRef,
  discoveryApiRef,
  githubAuthApiRef,
} from '@backstage/core-plugin-api';
import { LocalUserSignInPage } from './LocalUserSignInPage';

const users = [
  { name: 'alice', description: 'Engineer' },
  { name: 'bob', description: 'Approver' },
];

// A Backstage identity token whose payload names the user (the page reads nothing else).
function sessionFor(user: string) {
  const payload = Buffer.from(
    JSON.stringify({
      sub: `user:default/${user}`,
      exp: Date.now() / 1000 + 3600,
    }),
  ).toString('base64url');
  return {
    profile: { displayName: user },
    backstageIdentity: {
      token: `e30.${payload}.sig`,
      identity: {
        type: 'user',
        userEntityRef: `user:default/${user}`,
        ownershipEntityRefs: [`user:default/${user}`],
      },
    },
  };
}

async function renderPage(config: object, onSignInSuccess = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [configApiRef, new MockConfigApi(config)],
        [
          discoveryApiRef,
          { getBaseUrl: async (id: string) => `http://backend/api/${id}` },
        ],
        [githubAuthApiRef, {} as any],
      ]}
    >
      <LocalUserSignInPage onSignInSuccess={onSignInSuccess} />
    </TestApiProvider>,
  );
  return onSignInSuccess;
}

describe('LocalUserSignInPage', () => {
  let fetchSpy: jest.SpyInstance;
  beforeEach(() => {
    window.localStorage.clear();
    fetchSpy = jest
      .spyOn(global, 'fetch')
      .mockImplementation(async (_url, init) => {
        const user = new Headers(init?.headers).get('x-gitops-local-user')!;
        return new Response(JSON.stringify(sessionFor(user)), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      });
  });
  afterEach(() => fetchSpy.mockRestore());

  it('lists the configured users and signs in as the chosen one', async () => {
    const onSignInSuccess = await renderPage({
      app: { localSignIn: { users } },
    });
    expect(screen.getByText('alice')).toBeInTheDocument();
    expect(screen.getByText('Approver')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Sign in as bob' }));

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    const [url, init] = fetchSpy.mock.calls[0];
    expect(url).toBe('http://backend/api/auth/local-users/refresh');
    expect(new Headers(init.headers).get('x-gitops-local-user')).toBe('bob');
    expect(window.localStorage.getItem('gitops.localSignIn.user')).toBe('bob');

    const identity = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/bob',
    );
    await identity.signOut();
    expect(window.localStorage.getItem('gitops.localSignIn.user')).toBeNull();
  });

  it('signs in again as the remembered user without asking', async () => {
    window.localStorage.setItem('gitops.localSignIn.user', 'alice');
    const onSignInSuccess = await renderPage({
      app: { localSignIn: { users } },
    });
    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(
      new Headers(fetchSpy.mock.calls[0][1].headers).get('x-gitops-local-user'),
    ).toBe('alice');
  });

  it('falls back to GitHub sign-in when no local users are configured', async () => {
    await renderPage({ app: { title: 'Test', localSignIn: { users: [] } } });
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Sign in as/ })).toBeNull();
  });
});
