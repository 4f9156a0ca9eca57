import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { argoErrorFromResponse } from '../argocd/errors';
import { ArgoApplication } from '../argocd/types';
import { DatabaseChangeStore } from '../store/DatabaseChangeStore';
import { StoredChange } from '../store/ChangeStore';
import { ChangeExecutor } from './ChangeExecutor';
import { FAST_SETTINGS } from './e2e/__testUtils__/harness';
import { changeInfos } from './operation';
import { ExecutionArgoClient } from './StepContext';
import { ExecutionTarget, systemClock } from './types';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const T0 = new Date('2026-11-25T10:00:00.000Z');
const TARGET: ExecutionTarget = {
  instance: 'local',
  application: 'python-api-base-prod',
  dryRunRequired: false,
  prune: true,
  allowDisableAutoSync: false,
};

function app(
  status: ArgoApplication['status'],
  operation?: ArgoApplication['operation'],
): ArgoApplication {
  return {
    metadata: { name: 'python-api-base-prod' },
    spec: { project: 'shop', destination: {} },
    status,
    operation,
  };
}

const healthy = (extra: ArgoApplication['status'] = {}) => ({
  sync: { status: 'Synced', revision: 'abc' },
  health: { status: 'Healthy' },
  summary: { images: ['example.org/shop/python-api-base:v1.2.2'] },
  ...extra,
});

const auditEvent = { success: jest.fn(), fail: jest.fn() };
const auditor = { createEvent: jest.fn(async () => auditEvent) };

beforeEach(() => jest.clearAllMocks());

async function setup(argo: Partial<ExecutionArgoClient>) {
  const store = await DatabaseChangeStore.fromKnex(
    await databases.init('SQLITE_3'),
  );
  const executor = ChangeExecutor.create({
    services: {
      store,
      argo: {
        getManagedResources: async () => ({ items: [] }),
        ...argo,
      } as ExecutionArgoClient,
      policy: { recheck: async () => ({ outcome: 'allow', checks: [] }) },
      settings: {
        ...FAST_SETTINGS,
        busyTimeoutMs: 2_000,
        operationTimeoutMs: 1_000,
        healthTimeoutMs: 1_000,
        pollIntervalMs: 5,
        maxPollIntervalMs: 20,
      },
      clock: systemClock,
      logger: mockServices.logger.mock(),
      auditor,
    },
    targets: { resolve: async () => TARGET },
  });
  const created = await store.createChange(
    {
      entityRef: 'component:default/python-api-base',
      environment: 'prod',
      pipeline: 'standard',
      kind: 'sync',
      state: 'approved',
      version: 'v1.2.2',
      requestedBy: 'user:default/alice',
      override: false,
      requiredApprovals: 0,
      approverRefs: [],
      checks: [],
      createdAt: T0,
    },
    { type: 'created' },
  );
  const claimed = (await store.claimForExecution({
    owner: 'me',
    leaseMs: 60_000,
    now: new Date(),
    id: created.id,
  }))!;
  return { store, executor, change: claimed };
}

async function runIt(s: {
  store: DatabaseChangeStore;
  executor: ChangeExecutor;
  change: StoredChange;
}) {
  const end = await s.executor.execute(
    s.change,
    'me',
    new AbortController().signal,
  );
  return { end, detail: (await s.store.getChangeDetail(s.change.id))! };
}

describe('ChangeExecutor', () => {
  it('parks the change in waiting_for_window when Argo CD refuses the sync by window', async () => {
    const sync = jest
      .fn()
      .mockRejectedValue(
        argoErrorFromResponse(
          'local',
          'POST …/sync',
          403,
          { message: 'cannot sync: blocked by sync window' },
          [],
        ),
      );
    const s = await setup({
      getApplication: async () =>
        app(healthy({ sync: { status: 'OutOfSync' } })),
      sync,
    });
    const { end, detail } = await runIt(s);
    expect(end).toBe('waiting');
    expect(detail.state).toBe('waiting_for_window');
    expect(detail.executionOwner).toBeUndefined();
    expect(detail.runAfter).toBeDefined();
    expect(detail.events.map(e => e.type)).toContain('waiting_for_window');
    expect(sync).toHaveBeenCalledTimes(1);
    expect(sync.mock.calls[0][2]).toMatchObject({
      prune: true,
      dryRun: false,
      infos: changeInfos(s.change.id, 'sync'),
    });
  });

  it('retries while Argo CD says another operation is in progress', async () => {
    let calls = 0;
    const sync = jest.fn(async () => {
      calls++;
      if (calls < 3)
        throw argoErrorFromResponse(
          'local',
          'POST …/sync',
          400,
          {
            message:
              'error setting app operation: another operation is already in progress',
          },
          [],
        );
      return app({});
    });
    const s = await setup({
      getApplication: async () =>
        calls >= 3
          ? app(healthy())
          : app(healthy({ sync: { status: 'OutOfSync' } })),
      sync,
    });
    const { end, detail } = await runIt(s);
    expect(end).toBe('succeeded');
    expect(sync).toHaveBeenCalledTimes(3);
    expect(detail.events.find(e => e.type === 'step.sync')?.data).toMatchObject(
      {
        by: 'ours',
        waitedFor: 'Argo CD: another operation is already in progress',
      },
    );
  });

  it('follows its own operation after a restart instead of syncing again', async () => {
    const sync = jest.fn();
    const s = await setup({ sync });
    const op = {
      sync: { dryRun: false },
      info: changeInfos(s.change.id, 'sync'),
    };
    // an earlier attempt got as far as requesting the sync, then died
    await s.store.setExecutionStep(s.change.id, 'me', 'sync', {
      type: 'step.refresh',
    });
    await s.store.setExecutionStep(s.change.id, 'me', 'sync', {
      type: 'step.diff',
    });
    await s.store.setExecutionStep(s.change.id, 'me', 'sync', {
      type: 'step.recheck',
    });
    await s.store.setExecutionStep(s.change.id, 'me', 'sync', {
      type: 'step.sync.requested',
    });
    let polls = 0;
    const executor = ChangeExecutor.create({
      services: {
        store: s.store,
        argo: {
          getApplication: async () =>
            ++polls < 3
              ? app(
                  healthy({
                    operationState: { phase: 'Running', operation: op },
                  }),
                  op,
                )
              : app(
                  healthy({
                    operationState: {
                      phase: 'Succeeded',
                      operation: op,
                      syncResult: { revision: 'abc' },
                    },
                  }),
                ),
          sync,
        } as unknown as ExecutionArgoClient,
        policy: { recheck: async () => ({ outcome: 'allow', checks: [] }) },
        settings: {
          ...FAST_SETTINGS,
          pollIntervalMs: 5,
          maxPollIntervalMs: 20,
        },
        clock: systemClock,
        logger: mockServices.logger.mock(),
        auditor,
      },
      targets: { resolve: async () => TARGET },
    });
    const { end, detail } = await runIt({ ...s, executor });
    expect(end).toBe('succeeded');
    expect(sync).not.toHaveBeenCalled();
    expect(detail.events.find(e => e.type === 'step.sync')?.message).toBe(
      'our sync operation is already running',
    );
    expect(detail.result?.syncedRevision).toBe('abc');
    expect(auditEvent.success).toHaveBeenCalledTimes(1);
  });

  it('waits out a transient Argo CD failure of the hard refresh', async () => {
    let refreshes = 0;
    const s = await setup({
      getApplication: async (
        _i: string,
        _n: string,
        opts?: { refresh?: string },
      ) => {
        if (opts?.refresh && ++refreshes < 3) {
          throw new ServiceUnavailableError(
            "Argo CD instance 'local' answered 500: application refresh deadline exceeded",
          );
        }
        return app(healthy());
      },
      sync: async () => app({}),
    } as Partial<ExecutionArgoClient>);
    const { end, detail } = await runIt(s);
    expect(end).toBe('succeeded');
    expect(refreshes).toBe(3);
    expect(
      detail.events.find(e => e.type === 'step.refresh')?.message,
    ).toContain('Synced at abc');
  });

  it('stops without writing when the lease is gone', async () => {
    const s = await setup({ getApplication: async () => app(healthy()) });
    await s.store.releaseLease(s.change.id, 'me');
    const { end, detail } = await runIt(s);
    expect(end).toBe('lost');
    expect(detail.state).toBe('executing');
    expect(detail.events.filter(e => e.type.startsWith('step.'))).toEqual([]);
  });

  it('fails with the step and reason when the application cannot be found', async () => {
    const s = await setup({
      getApplication: async () => {
        throw new NotAllowedError(
          "Argo CD instance 'local' answered 403: permission denied",
        );
      },
    });
    const { end, detail } = await runIt(s);
    expect(end).toBe('failed');
    expect(detail.result).toMatchObject({
      failedStep: 'refresh',
      rollbackOffered: false,
    });
    expect(detail.result?.message).toContain('permission denied');
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'change-execute',
        severityLevel: 'high',
        meta: expect.objectContaining({
          changeId: s.change.id,
          outcome: 'failed',
        }),
      }),
    );
    expect(auditEvent.fail).toHaveBeenCalledTimes(1);
  });
});
