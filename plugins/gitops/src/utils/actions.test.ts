import { makeChange, makeState } from '../__testUtils__/fixtures';
import {
  cancelAvailability,
  decisionAvailability,
  overrideAvailability,
  promoteAvailability,
  rollbackAvailability,
  syncAvailability,
} from './actions';
import type { GitOpsPermissions } from '../hooks/useGitOpsPermissions';
import { mockApis } from '@backstage/test-utils';
import { gitopsTranslationRef } from '../translation';

const snapshot = mockApis.translation().getTranslation(gitopsTranslationRef);
if (!snapshot.ready) throw new Error('translations not ready');
const { t } = snapshot;

const all: GitOpsPermissions = {
  create: { allowed: true, loading: false },
  approve: { allowed: true, loading: false },
  override: { allowed: true, loading: false },
};
const none: GitOpsPermissions = {
  create: { allowed: false, loading: false },
  approve: { allowed: false, loading: false },
  override: { allowed: false, loading: false },
};
const envs = (o?: Parameters<typeof makeState>[0]) => {
  const s = makeState(o).environments;
  const by = (n: string) => s.find(e => e.name === n)!;
  return { dev: by('dev'), staging: by('staging'), prod: by('prod') };
};

describe('promoteAvailability', () => {
  it('is enabled when nothing stands in the way', () => {
    const { dev, staging } = envs();
    expect(promoteAvailability(dev, staging, undefined, all, t)).toEqual({
      visible: true,
    });
  });
  it('names the first reason it is disabled', () => {
    const { dev, staging } = envs({ dev: { version: undefined } });
    expect(
      promoteAvailability(dev, staging, undefined, none, t).disabledReason,
    ).toMatch(/permission/);
    expect(
      promoteAvailability(dev, staging, undefined, all, t).disabledReason,
    ).toBe('dev has no version to promote');
    const d = envs({ staging: { health: { status: 'Degraded' } } });
    expect(
      promoteAvailability(d.staging, d.prod, undefined, all, t).disabledReason,
    ).toMatch(/staging is Degraded/);
    const o = envs();
    expect(
      promoteAvailability(o.staging, o.prod, makeChange(), all, t)
        .disabledReason,
    ).toBe('prod already has an open change (awaiting approval)');
  });
});

describe('syncAvailability / rollbackAvailability / overrideAvailability', () => {
  it('hides Sync unless OutOfSync', () => {
    expect(syncAvailability(envs().prod, undefined, all, t).visible).toBe(
      false,
    );
    expect(
      syncAvailability(
        envs({ prod: { syncStatus: 'OutOfSync' } }).prod,
        undefined,
        all,
        t,
      ),
    ).toEqual({ visible: true });
  });
  it('blocks rollback while an operation runs', () => {
    const { prod } = envs({ prod: { operation: { phase: 'Running' } } });
    expect(rollbackAvailability(prod, undefined, all, t).disabledReason).toBe(
      'An operation is running in prod',
    );
  });
  it('shows the override only with the permission and a closed window', () => {
    const closed = envs({
      prod: { window: { open: false, message: 'closed' } },
    }).prod;
    expect(overrideAvailability(closed, undefined, all, t)).toEqual({
      visible: true,
    });
    expect(
      overrideAvailability(
        closed,
        undefined,
        {
          ...all,
          override: { allowed: false, loading: false },
        },
        t,
      ).visible,
    ).toBe(false);
    expect(overrideAvailability(envs().prod, undefined, all, t).visible).toBe(
      false,
    );
  });
});

describe('decisionAvailability / cancelAvailability', () => {
  const change = makeChange({ requestedBy: 'user:default/alice' });
  it('refuses self-approval, repeat decisions and non-approvers', () => {
    const pending = new Set(['chg-1']);
    expect(
      decisionAvailability(change, 'user:default/alice', pending, all, t)
        .disabledReason,
    ).toMatch(/You requested/);
    expect(
      decisionAvailability(change, 'user:default/bob', pending, all, t),
    ).toEqual({ visible: true });
    expect(
      decisionAvailability(change, 'user:default/bob', new Set(), all, t)
        .disabledReason,
    ).toMatch(/not an approver/);
    const decided = makeChange({
      approvals: [
        {
          approver: 'user:default/bob',
          decision: 'approve',
          decidedAt: '2026-11-27T10:00:00Z',
        },
      ],
    });
    expect(
      decisionAvailability(decided, 'user:default/bob', pending, all, t)
        .disabledReason,
    ).toMatch(/already decided/);
    expect(
      decisionAvailability(
        makeChange({ state: 'approved' }),
        'user:default/bob',
        pending,
        all,
        t,
      ).disabledReason,
    ).toMatch(/no longer waiting/);
  });
  it('lets only the requester cancel an open, not yet executing change', () => {
    expect(cancelAvailability(change, 'user:default/alice', t)).toEqual({
      visible: true,
    });
    expect(
      cancelAvailability(change, 'user:default/bob', t).disabledReason,
    ).toMatch(/Only the requester/);
    expect(
      cancelAvailability(
        makeChange({ state: 'executing' }),
        'user:default/alice',
        t,
      ).visible,
    ).toBe(false);
    expect(
      cancelAvailability(
        makeChange({ state: 'succeeded' }),
        'user:default/alice',
        t,
      ).visible,
    ).toBe(false);
  });
});
