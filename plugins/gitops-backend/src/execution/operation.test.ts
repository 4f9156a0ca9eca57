import { argoErrorFromResponse } from '../argocd/errors';
import { ArgoApplication } from '../argocd/types';
import {
  classifyArgoError,
  changeInfos,
  findOperation,
  healthVerdict,
  imageTag,
  isAutoSync,
  operationSlot,
  ourOperation,
  rollbackBy,
} from './operation';

function app(
  partial: Partial<ArgoApplication> & {
    status?: ArgoApplication['status'];
  } = {},
): ArgoApplication {
  return {
    metadata: { name: 'python-api-base-prod' },
    spec: { project: 'shop', destination: {} },
    ...partial,
  };
}

const ours = {
  sync: { dryRun: false },
  info: changeInfos('c1', 'sync'),
  initiatedBy: { username: 'admin' },
};
const ourDry = {
  sync: { dryRun: true },
  info: changeInfos('c1', 'dry-run'),
  initiatedBy: { username: 'admin' },
};

describe('operation', () => {
  it('sees our operation pending, running, succeeded and failed', () => {
    expect(ourOperation(app({ operation: ours }), 'c1', false).kind).toBe(
      'running',
    );
    expect(ourOperation(app({ operation: ours }), 'c1', true).kind).toBe(
      'unknown',
    );
    const running = app({
      operation: ours,
      status: {
        operationState: {
          operation: ours,
          phase: 'Running',
          message: 'Sync operation blocked by sync window',
        },
      },
    });
    expect(ourOperation(running, 'c1', false)).toEqual({
      kind: 'running',
      message: 'Sync operation blocked by sync window',
      blockedByWindow: true,
    });
    const ok = app({
      status: {
        operationState: {
          operation: ourDry,
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          syncResult: { revision: 'abc' },
        },
      },
    });
    expect(ourOperation(ok, 'c1', true)).toMatchObject({
      kind: 'succeeded',
      revision: 'abc',
    });
    const failed = app({
      status: {
        operationState: {
          operation: ours,
          phase: 'Failed',
          message: 'one or more objects failed to apply',
          syncResult: {
            resources: [
              {
                kind: 'Deployment',
                name: 'api',
                status: 'SyncFailed',
                message: 'invalid',
              },
            ],
          },
        },
      },
    });
    expect(ourOperation(failed, 'c1', false)).toEqual({
      kind: 'failed',
      phase: 'Failed',
      message: 'one or more objects failed to apply; Deployment/api: invalid',
    });
  });

  it('tells our operation from a foreign or automated one', () => {
    const auto = { sync: {}, initiatedBy: { automated: true } };
    expect(operationSlot(app({ operation: auto }), 'c1')).toEqual({
      kind: 'foreign',
      automated: true,
      phase: 'Pending',
      message: undefined,
    });
    expect(operationSlot(app({ operation: ours }), 'c1')).toMatchObject({
      kind: 'ours',
      dryRun: false,
    });
    expect(
      operationSlot(
        app({
          status: { operationState: { operation: auto, phase: 'Succeeded' } },
        }),
        'c1',
      ),
    ).toEqual({ kind: 'idle' });
    expect(ourOperation(app({ operation: auto }), 'c1', false).kind).toBe(
      'unknown',
    );
  });

  it('recognises a history rollback by revision and a new start time', () => {
    const op = {
      sync: { revision: 'sha1' },
      initiatedBy: { username: 'admin' },
    };
    const before = app({
      status: {
        operationState: { operation: op, phase: 'Succeeded', startedAt: 't0' },
      },
    });
    expect(findOperation(before, rollbackBy('sha1', false, 't0')).kind).toBe(
      'unknown',
    );
    const after = app({
      status: {
        operationState: { operation: op, phase: 'Running', startedAt: 't1' },
      },
    });
    expect(findOperation(after, rollbackBy('sha1', false, 't0')).kind).toBe(
      'running',
    );
    expect(findOperation(after, rollbackBy('sha2', false, 't0')).kind).toBe(
      'unknown',
    );
  });

  it('waits for the new version before trusting health', () => {
    const stale = app({
      status: {
        health: { status: 'Healthy' },
        summary: { images: ['example.org/shop/api:v1.1.0'] },
      },
    });
    expect(healthVerdict(stale, { version: 'v1.2.0' }).kind).toBe('waiting');
    const fresh = app({
      status: {
        health: { status: 'Healthy' },
        summary: { images: ['example.org/shop/api:v1.2.0'] },
      },
    });
    expect(healthVerdict(fresh, { version: 'v1.2.0' })).toEqual({
      kind: 'healthy',
    });
    const broken = app({
      status: {
        health: { status: 'Degraded' },
        summary: { images: ['example.org/shop/api:v1.2.0'] },
        resources: [
          {
            kind: 'Deployment',
            name: 'api',
            health: { status: 'Degraded', message: 'CrashLoopBackOff' },
          },
        ],
      },
    });
    expect(healthVerdict(broken, { version: 'v1.2.0' })).toEqual({
      kind: 'degraded',
      message: 'application is Degraded; Deployment/api: CrashLoopBackOff',
    });
    const before = {
      health: { status: 'Healthy' },
      reconciledAt: '2026-11-25T10:00:00Z',
    };
    expect(
      healthVerdict(app({ status: before }), {
        syncFinishedAt: '2026-11-25T10:00:05Z',
      }).kind,
    ).toBe('waiting');
    expect(
      healthVerdict(
        app({ status: { ...before, reconciledAt: '2026-11-25T10:00:06Z' } }),
        { syncFinishedAt: '2026-11-25T10:00:05Z' },
      ),
    ).toEqual({ kind: 'healthy' });
    expect(
      healthVerdict(app({ status: { health: { status: 'Progressing' } } }), {}),
    ).toEqual({
      kind: 'waiting',
      reason: 'health is Progressing',
    });
  });

  it('reads tags, auto-sync and Argo CD refusals', () => {
    expect(imageTag('registry:5000/shop/api:v1.2.0@sha256:abc')).toBe('v1.2.0');
    expect(imageTag('registry:5000/shop/api')).toBeUndefined();
    expect(
      isAutoSync(
        app({
          spec: {
            project: 'p',
            destination: {},
            syncPolicy: { automated: { enabled: false } },
          },
        }),
      ),
    ).toBe(false);
    expect(
      isAutoSync(
        app({
          spec: {
            project: 'p',
            destination: {},
            syncPolicy: { automated: { prune: true } },
          },
        }),
      ),
    ).toBe(true);
    expect(
      classifyArgoError(
        argoErrorFromResponse(
          'local',
          'POST …/sync',
          400,
          {
            message:
              '… error setting app operation: another operation is already in progress',
          },
          [],
        ),
      ),
    ).toBe('busy');
    expect(
      classifyArgoError(
        argoErrorFromResponse(
          'local',
          'POST …/sync',
          403,
          { message: 'cannot sync: blocked by sync window' },
          [],
        ),
      ),
    ).toBe('window');
    expect(
      classifyArgoError(
        argoErrorFromResponse(
          'local',
          'POST …/rollback',
          400,
          { message: 'rollback cannot be initiated when auto-sync is enabled' },
          [],
        ),
      ),
    ).toBe('auto-sync-rollback');
    expect(classifyArgoError(new Error('boom'))).toBe('other');
    // the message alone classifies nothing: only the client's code does
    expect(
      classifyArgoError(new Error('cannot sync: blocked by sync window')),
    ).toBe('other');
  });
});
