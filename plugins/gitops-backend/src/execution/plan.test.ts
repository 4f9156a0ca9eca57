import {
  nextStep,
  planSteps,
  progressFromEvents,
  rollbackMethod,
} from './plan';

const git = {
  method: 'git' as const,
  repository: 'gitops',
  path: 'apps/{app}-{env}/values.yaml',
  key: 'image.tag',
};

const ev = (type: string, data: Record<string, unknown> = {}) => ({
  id: 1,
  changeId: 'c',
  type,
  at: '2026-11-25T10:00:00Z',
  data,
});

describe('plan', () => {
  it('plans a prod promotion with a dry-run', () => {
    expect(
      planSteps({ kind: 'promote', writeBack: git, dryRunRequired: true }),
    ).toEqual([
      'precheck',
      'write',
      'refresh',
      'diff',
      'dry-run',
      'recheck',
      'sync',
      'follow',
    ]);
  });

  it('plans a sync change without a write', () => {
    expect(planSteps({ kind: 'sync', dryRunRequired: true })).toEqual([
      'refresh',
      'diff',
      'dry-run',
      'recheck',
      'sync',
      'follow',
    ]);
  });

  it('refuses a promotion without a write-back', () => {
    expect(() => planSteps({ kind: 'promote', dryRunRequired: false })).toThrow(
      'needs a write-back',
    );
  });

  it('plans a history rollback with the auto-sync step', () => {
    expect(
      planSteps({
        kind: 'rollback',
        rollback: 'argocd-history',
        dryRunRequired: false,
      }),
    ).toEqual(['refresh', 'disable-auto-sync', 'recheck', 'sync', 'follow']);
  });

  it('chooses git revert when a git write-back and a version are known', () => {
    expect(
      rollbackMethod({ historyId: '3', version: 'v1.1.0' }, undefined, git),
    ).toBe('git-revert');
    expect(rollbackMethod({ historyId: '3' }, undefined, undefined)).toBe(
      'argocd-history',
    );
    // A git write-back environment never rolls back by Argo CD history
    // alone: Git would keep naming the bad version (issue 12).
    expect(() => rollbackMethod({ historyId: '3' }, undefined, git)).toThrow(
      'roll back by version',
    );
    expect(rollbackMethod({ historyId: '3' }, 'v1.1.0', git)).toBe(
      'git-revert',
    );
    expect(rollbackMethod({ revision: 'a'.repeat(40) }, 'v1.1.0', git)).toBe(
      'git-revert',
    );
    expect(
      rollbackMethod({ version: 'v1' }, undefined, {
        method: 'argocd',
        parameter: 'image.tag',
      }),
    ).toBe('argocd-parameter');
    expect(() =>
      rollbackMethod({}, undefined, { method: 'argocd', parameter: 'p' }),
    ).toThrow('history id');
  });

  it('continues where the last attempt stopped', () => {
    const plan = planSteps({
      kind: 'promote',
      writeBack: git,
      dryRunRequired: true,
    });
    const p = progressFromEvents([
      ev('created'),
      ev('execution.claimed'),
      ev('step.precheck'),
      ev('step.write', { commitSha: 'abc' }),
      ev('step.refresh'),
    ]);
    expect(p.done.get('write')?.data.commitSha).toBe('abc');
    expect(nextStep(plan, p)).toBe('diff');
  });

  it('evaluates the policy again after waiting for a window', () => {
    const plan = planSteps({
      kind: 'promote',
      writeBack: git,
      dryRunRequired: true,
    });
    const p = progressFromEvents([
      ev('step.precheck'),
      ev('step.write'),
      ev('step.refresh'),
      ev('step.diff'),
      ev('step.dry-run'),
      ev('step.recheck'),
      ev('waiting_for_window'),
      ev('execution.claimed'),
    ]);
    expect(nextStep(plan, p)).toBe('precheck');
    expect(p.done.has('dry-run')).toBe(true);
  });

  it('never goes back before a recorded sync', () => {
    const plan = planSteps({
      kind: 'promote',
      writeBack: git,
      dryRunRequired: true,
    });
    const p = progressFromEvents([
      ev('step.write'),
      ev('step.sync.requested'),
      ev('step.sync'),
    ]);
    expect(p.syncRequestedAt).toBeDefined();
    expect(nextStep(plan, p)).toBe('follow');
    expect(
      nextStep(plan, progressFromEvents([...plan.map(s => ev(`step.${s}`))])),
    ).toBeUndefined();
  });
});
