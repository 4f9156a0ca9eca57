import {
  renderInTestApp,
  TestApiProvider,
  mockApis,
} from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EnvironmentState,
  LastOperation,
  LogStreamLine,
  ResourceTree,
} from '@internal/plugin-gitops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SWRConfig } from 'swr';
import { gitopsApiRef } from '../../api';
import { entity, makeState } from '../../__testUtils__/fixtures';
import { WhyButton } from './WhyButton';

jest.setTimeout(30_000);

const POD = 'python-api-base-6d9f7c-x2x4z';

const tree: ResourceTree = {
  application: { instance: 'local', name: 'python-api-base-staging' },
  health: 'Degraded',
  roots: [
    {
      uid: 'd1',
      group: 'apps',
      kind: 'Deployment',
      namespace: 'shop-staging',
      name: 'python-api-base',
      health: {
        status: 'Degraded',
        message: 'Deployment "python-api-base" exceeded its progress deadline',
      },
      syncStatus: 'Synced',
      info: [],
      images: [],
      unhealthyPath: true,
      children: [
        {
          uid: 'r1',
          group: 'apps',
          kind: 'ReplicaSet',
          namespace: 'shop-staging',
          name: 'python-api-base-6d9f7c',
          health: { status: 'Degraded' },
          info: [],
          images: [],
          unhealthyPath: true,
          children: [
            {
              uid: 'p1',
              kind: 'Pod',
              namespace: 'shop-staging',
              name: POD,
              health: {
                status: 'Degraded',
                message:
                  'Back-off pulling image "example.org/shop/python-api-base:v9.9.9"',
              },
              info: [{ name: 'Status Reason', value: 'ImagePullBackOff' }],
              images: ['example.org/shop/python-api-base:v9.9.9'],
              containers: [
                { name: 'migrate', init: true },
                { name: 'python-api-base' },
              ],
              unhealthyPath: true,
              children: [],
            },
          ],
        },
      ],
    },
    {
      uid: 's1',
      kind: 'Service',
      namespace: 'shop-staging',
      name: 'python-api-base',
      health: { status: 'Healthy' },
      syncStatus: 'Synced',
      info: [],
      images: [],
      unhealthyPath: false,
      children: [],
    },
  ],
};

const failedOperation: LastOperation = {
  operation: {
    phase: 'Failed',
    message: 'one or more synchronization tasks completed unsuccessfully',
    initiatedBy: 'alice',
    results: [
      {
        group: 'batch',
        kind: 'Job',
        namespace: 'shop-staging',
        name: 'python-api-base-staging-db-migrate',
        status: 'Synced',
        message: 'Job has reached the specified backoff limit',
        hookType: 'PreSync',
        hookPhase: 'Failed',
        failed: true,
      },
    ],
  },
  conditions: [{ type: 'SyncError', message: 'Failed sync attempt' }],
};

function fakeApi() {
  return {
    getResourceTree: jest.fn(
      async (_e: unknown, _env: string, health?: string[]) =>
        health?.length
          ? { ...tree, roots: [tree.roots[0]], filter: health }
          : tree,
    ),
    getResourceEvents: jest.fn(
      async (_e: unknown, _env: string, r?: { uid?: string }) => ({
        items:
          r?.uid === 'p1'
            ? [
                {
                  type: 'Warning',
                  reason: 'Failed',
                  message: 'Error: ImagePullBackOff',
                  count: 21,
                  involvedObject: { kind: 'Pod', name: POD },
                },
                {
                  type: 'Normal',
                  reason: 'Scheduled',
                  message: `Successfully assigned shop-staging/${POD}`,
                  involvedObject: { kind: 'Pod', name: POD },
                },
              ]
            : [
                {
                  type: 'Normal',
                  reason: 'ScalingReplicaSet',
                  message: 'Scaled up replica set',
                  involvedObject: {},
                },
              ],
      }),
    ),
    getLastOperation: jest.fn(async () => failedOperation),
    getOutOfSync: jest.fn(async () => ({
      syncStatus: 'OutOfSync',
      items: [
        {
          kind: 'Deployment',
          name: 'python-api-base',
          cause: 'changed-in-cluster' as const,
          explanation:
            'Live Deployment differs from what Argo CD last applied: it was changed in the cluster; Git did not change',
          diff: '-  replicas: 5\n+  replicas: 1\n',
        },
      ],
    })),
    streamLogs: jest.fn(
      async (
        _e: unknown,
        _env: string,
        q: { container?: string },
        onLine: (l: LogStreamLine) => void,
      ) => {
        onLine({
          type: 'error',
          message: `container "${q.container}" in pod "${POD}" is waiting to start: trying and failing to pull image`,
        });
      },
    ),
  };
}

function render(env: EnvironmentState, api = fakeApi(), deny: string[] = []) {
  renderInTestApp(
    <TestApiProvider
      apis={[
        [gitopsApiRef, api as any],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: req =>
              deny.includes(req.permission.name)
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <WhyButton env={env} />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
  return api;
}

const staging = (o: Partial<EnvironmentState>) =>
  makeState({
    staging: {
      application: {
        instance: 'local',
        name: 'python-api-base-staging',
        url: 'https://argo.example.com/applications/python-api-base-staging',
      } as any,
      ...o,
    },
  }).environments.find(e => e.name === 'staging')!;

describe('WhyButton and the troubleshooting view', () => {
  it('is offered only for Degraded, OutOfSync or failed environments', async () => {
    render(staging({ health: { status: 'Healthy' }, syncStatus: 'Synced' }));
    await new Promise(r => setTimeout(r, 0));
    expect(
      screen.queryByRole('button', { name: /why/i }),
    ).not.toBeInTheDocument();
  });

  it('Degraded: one click shows the tree with the unhealthy path open, the pod selected with its events and logs, and the failed sync', async () => {
    const api = render(
      staging({
        health: { status: 'Degraded' },
        operation: { phase: 'Failed' } as any,
      }),
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Why is staging the last sync failed?',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    // the path Deployment → ReplicaSet → Pod is open, the pod selected first
    expect(
      await within(dialog).findByLabelText(`Pod ${POD}`),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByLabelText('ReplicaSet python-api-base-6d9f7c'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('ImagePullBackOff')).toBeInTheDocument();
    const events = await within(dialog).findByRole('region', {
      name: `Events of Pod ${POD}`,
    });
    expect(
      await within(events).findByText(/Error: ImagePullBackOff/),
    ).toBeInTheDocument();
    expect(api.getResourceEvents).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'python-api-base' }),
      'staging',
      { uid: 'p1', name: POD, namespace: 'shop-staging' },
    );
    // logs of the pod's main container
    const logs = await within(dialog).findByRole('region', {
      name: `Logs of pod ${POD}`,
    });
    expect(within(logs).getByLabelText('Container')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.streamLogs).toHaveBeenCalledWith(
        expect.anything(),
        'staging',
        {
          podName: POD,
          container: 'python-api-base',
          tailLines: 500,
          follow: false,
        },
        expect.any(Function),
        expect.any(AbortSignal),
      ),
    );
    // follow re-opens the stream with follow
    await userEvent.click(within(logs).getByLabelText('Follow'));
    await waitFor(() =>
      expect(api.streamLogs).toHaveBeenLastCalledWith(
        expect.anything(),
        'staging',
        expect.objectContaining({ follow: true }),
        expect.any(Function),
        expect.any(AbortSignal),
      ),
    );
    // the failed sync's results, the failed hook first
    const op = within(dialog).getByRole('region', { name: 'Last operation' });
    expect(
      within(op).getByText(/Last sync Failed \(by alice\)/),
    ).toBeInTheDocument();
    expect(
      within(op).getByText(
        'Job shop-staging/python-api-base-staging-db-migrate',
      ),
    ).toBeInTheDocument();
    expect(
      within(op).getByText('SyncError: Failed sync attempt'),
    ).toBeInTheDocument();

    // selecting another resource shows its events
    await userEvent.click(within(dialog).getByText('Service'));
    expect(
      await within(dialog).findByRole('region', {
        name: 'Events of Service python-api-base',
      }),
    ).toBeInTheDocument();
  });

  it('filters the tree to unhealthy resources', async () => {
    const api = render(staging({ health: { status: 'Degraded' } }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Why is staging Degraded?' }),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByLabelText(`Pod ${POD}`);
    await userEvent.click(
      within(dialog).getByLabelText('Only unhealthy resources'),
    );
    await waitFor(() =>
      expect(api.getResourceTree).toHaveBeenLastCalledWith(
        expect.anything(),
        'staging',
        ['Degraded', 'Missing', 'Progressing'],
      ),
    );
  });

  it('OutOfSync: names the cause with the diff', async () => {
    render(staging({ syncStatus: 'OutOfSync', health: { status: 'Healthy' } }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Why is staging OutOfSync?' }),
    );
    const region = await screen.findByRole('region', {
      name: 'Why out of sync',
    });
    expect(
      within(region).getByText('Changed in the cluster'),
    ).toBeInTheDocument();
    expect(
      within(region).getByLabelText('Diff of Deployment python-api-base'),
    ).toHaveTextContent('replicas: 5');
  });

  it('without gitops.logs.read no logs are requested', async () => {
    const api = render(staging({ health: { status: 'Degraded' } }), fakeApi(), [
      'gitops.logs.read',
    ]);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Why is staging Degraded?' }),
    );
    expect(
      await screen.findByText(/needs the permission gitops.logs.read/),
    ).toBeInTheDocument();
    expect(api.streamLogs).not.toHaveBeenCalled();
  });
});
