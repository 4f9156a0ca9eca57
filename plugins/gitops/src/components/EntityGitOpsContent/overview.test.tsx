import { screen, waitFor, within } from '@testing-library/react';
import { setupServer } from 'msw/node';
import {
  TestApiProvider,
  mockApis,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  gitopsEntityChannel,
  type EnvironmentVerification,
  type ImageDigests,
} from '@internal/plugin-gitops-common';
import { EntityGitOpsContent } from './EntityGitOpsContent';
import { recordingApi, renderWithApis } from '../../__testUtils__/renderTab';
import { useBackend } from '../../__testUtils__/handlers';
import {
  ENTITY_REF,
  makeChange,
  makeState,
} from '../../__testUtils__/fixtures';
import { fakeSignalApi } from '../../__testUtils__/signals';

const server = setupServer();
jest.setTimeout(30000);
/** The cards render slowly on a loaded machine: a generous bound, not a measurement. */
const SLOW = { timeout: 10_000 };

const OVERVIEW = '/entities/Component/default/python-api-base/overview';
const RC1 = `sha256:${'ab'.repeat(32)}`;
const RC2 = `sha256:${'cd'.repeat(32)}`;

function stagingVerification(
  over: Partial<EnvironmentVerification> = {},
): EnvironmentVerification {
  return {
    entityRef: ENTITY_REF,
    environment: 'staging',
    configured: true,
    version: 'v1.2.0-rc.1',
    signOff: { status: 'pending', groups: ['group:default/qa'] },
    decisions: [],
    canSignOff: false,
    ...over,
  };
}

const stagingDigests = (
  version = 'v1.2.0-rc.1',
  digest = RC1,
): ImageDigests => ({
  repository: 'images.example.org/shop/python-api-base',
  digests: { [version]: digest },
});

/** What every API call of the initial view may be: the overview only. */
const PER_PART_CALLS = [
  'getEnvironments',
  'listChanges',
  'getPendingApprovals',
  'getVerification',
  'getImageDigests',
] as const;

async function card(env: string) {
  return within(
    await screen.findByRole('region', { name: `Environment ${env}` }),
  );
}

function render(
  api: ReturnType<typeof recordingApi>['api'],
  signals?: ReturnType<typeof fakeSignalApi>,
) {
  const list: any[] = [[configApiRef, mockApis.config({ data: {} })]];
  if (signals) list.push([signalApiRef, signals.api]);
  return renderWithApis(
    <TestApiProvider apis={list}>
      <EntityGitOpsContent />
    </TestApiProvider>,
    { api },
  );
}

/** Everything the initial view shows: versions, the staging verification, its digest. */
async function expectInitialView() {
  const staging = await card('staging');
  expect(staging.getByLabelText('Version: v1.2.0-rc.1')).toBeInTheDocument();
  expect(
    await staging.findByLabelText(`Image digest ${RC1}`, undefined, SLOW),
  ).toBeInTheDocument();
  expect((await card('prod')).getByLabelText('Version: v1.1.0')).toBeTruthy();
  expect(
    (await card('dev')).getByLabelText('Version: v1.2.0-dev.3'),
  ).toBeTruthy();
  const panel = within(
    await screen.findByRole(
      'region',
      { name: 'Verification of v1.2.0-rc.1 in staging' },
      SLOW,
    ),
  );
  expect(panel.getByText('Awaiting sign-off')).toBeInTheDocument();
  return panel;
}

describe('EntityGitOpsContent with the overview', () => {
  registerMswTestHooks(server);

  it('opens the tab with one request: no per-part call, yet versions, the verification panel and the digest render', async () => {
    const rec = useBackend(server, {
      changes: [makeChange()],
      pending: [makeChange()],
      verification: { staging: stagingVerification() },
      digests: { staging: stagingDigests() },
    });
    const { api, calls, count } = recordingApi();
    await render(api);
    await expectInitialView();
    // the change from the overview is shown, and it is the caller's to decide
    expect(
      (await card('prod')).getByRole('button', {
        name: 'Change awaiting approval (0/1)',
      }),
    ).toBeInTheDocument();
    // whatever would have asked by itself has had the time to do it
    await new Promise(r => setTimeout(r, 200));
    for (const method of PER_PART_CALLS) expect(count(method)).toBe(0);
    expect(calls).toEqual(['getOverview']);
    expect(rec.gets).toEqual([OVERVIEW]);
    expect(rec.envRequests).toBe(0);
  });

  it('a live refresh refetches the overview, and the panel and digest show its new answer', async () => {
    let signedOff = false;
    let staging = 'v1.2.0-rc.1';
    const decided = {
      id: 'd1',
      version: 'v1.2.0-rc.2',
      decision: 'verified' as const,
      decidedBy: 'user:default/erin',
      decidedAt: new Date().toISOString(),
      round: 0,
    };
    const rec = useBackend(server, {
      state: () => makeState({ staging: { version: staging } }),
      verification: () => ({
        staging: signedOff
          ? stagingVerification({
              version: staging,
              signOff: {
                status: 'verified',
                decision: decided,
                groups: ['group:default/qa'],
              },
              decisions: [decided],
            })
          : stagingVerification(),
      }),
      digests: () => ({
        staging: signedOff ? stagingDigests(staging, RC2) : stagingDigests(),
      }),
    });
    const signals = fakeSignalApi();
    const { api, count } = recordingApi();
    await render(api, signals);
    await expectInitialView();
    expect(count('getOverview')).toBe(1);

    // rc.2 reached staging and erin signed it off: the backend says "look again"
    staging = 'v1.2.0-rc.2';
    signedOff = true;
    signals.push(gitopsEntityChannel(ENTITY_REF), {
      entityRef: ENTITY_REF,
      environments: ['staging'],
      changes: [],
      observedAt: 1,
      sentAt: 2,
    });
    const panel = within(
      await screen.findByRole(
        'region',
        { name: 'Verification of v1.2.0-rc.2 in staging' },
        SLOW,
      ),
    );
    expect(panel.getByText('Verified')).toBeInTheDocument();
    expect(
      await (await card('staging')).findByLabelText(`Image digest ${RC2}`),
    ).toBeInTheDocument();
    expect(count('getOverview')).toBe(2);
    expect(rec.overviewRequests).toBe(2);
    for (const method of PER_PART_CALLS) expect(count(method)).toBe(0);
  });

  it('without getOverview (another API implementation) the tab asks per part, as before', async () => {
    const rec = useBackend(server, {
      verification: { staging: stagingVerification() },
      digests: { staging: stagingDigests() },
    });
    const { api, count } = recordingApi({ withoutOverview: true });
    await render(api);
    await expectInitialView();
    await waitFor(() => expect(count('getImageDigests')).toBe(3), SLOW);
    expect(count('getOverview')).toBe(0);
    expect(count('getEnvironments')).toBe(1);
    expect(count('listChanges')).toBe(1);
    expect(count('getPendingApprovals')).toBe(1);
    expect(count('getVerification')).toBe(3);
    expect(rec.overviewRequests).toBe(0);
    expect(rec.envRequests).toBe(1);
  });

  it('a part the overview could not read: the changes say so, a verification is asked for by its panel', async () => {
    const rec = useBackend(server, {
      changes: [makeChange()],
      verification: { staging: stagingVerification() },
      digests: { staging: stagingDigests() },
      partErrors: {
        changes: 'the change store did not answer',
        'verification.staging': 'the verification store did not answer',
      },
    });
    const { api, count } = recordingApi();
    await render(api);
    expect(
      await screen.findByText(
        /Could not load change requests: the change store did not answer/,
        undefined,
        SLOW,
      ),
    ).toBeInTheDocument();
    // left out of the overview: the panel falls back to its own request
    await expectInitialView();
    expect(count('getVerification')).toBe(1);
    expect(rec.gets).toEqual([
      OVERVIEW,
      '/entities/Component/default/python-api-base/environments/staging/verification',
    ]);
  });

  it('a failed refresh keeps what was shown and shows the error', async () => {
    let broken = false;
    useBackend(server, {
      verification: { staging: stagingVerification() },
      digests: { staging: stagingDigests() },
      stateError: () =>
        broken
          ? {
              status: 503,
              name: 'ServiceUnavailableError',
              message: 'Argo CD instance local did not answer',
            }
          : undefined,
    });
    const signals = fakeSignalApi();
    const { api, count } = recordingApi();
    await render(api, signals);
    await expectInitialView();
    broken = true;
    signals.push(gitopsEntityChannel(ENTITY_REF), {
      entityRef: ENTITY_REF,
      environments: ['staging'],
      changes: [],
      observedAt: 1,
      sentAt: 2,
    });
    expect(
      (
        await screen.findAllByText(
          /Argo CD instance local did not answer/,
          undefined,
          SLOW,
        )
      ).length,
    ).toBeGreaterThan(0);
    await expectInitialView();
    expect(count('getOverview')).toBe(2);
    expect(count('getVerification')).toBe(0);
    expect(count('getImageDigests')).toBe(0);
  });
});
