import { ArgoCdWriteBack } from '../../writeback/ArgoCdWriteBack';
import { authorFor, buildCommitMessage } from '../../writeback/commitMessage';
import { valuesFilePath } from '../../writeback/config';
import { expectedVersion, StepContext, StepOutcome } from '../StepContext';

/**
 * Step `write`: puts the desired version where GitOps expects it — a commit
 * to the environment's values file (`git`) or a Helm parameter override on
 * the Application (`argocd`); for a rollback a revert of the commit that
 * brought the current version. Idempotent: a commit carrying this change's
 * marker is found and reused instead of committing again.
 */
export async function writeStep(ctx: StepContext): Promise<StepOutcome> {
  const { change, target } = ctx;
  const wb = target.writeBack;
  const version = expectedVersion(ctx);
  if (!wb) {
    return {
      kind: 'fail',
      message: `environment '${change.environment}' has no write-back configured`,
    };
  }
  if (!version) {
    return { kind: 'fail', message: 'the change names no version to write' };
  }
  const approvers = change.approvals
    .filter(a => a.decision === 'approve')
    .map(a => a.approver);

  if (wb.method === 'argocd') {
    const r = await new ArgoCdWriteBack(ctx.services.argo).setParameter({
      instance: target.instance,
      application: target.application,
      parameter: wb.parameter,
      value: version,
    });
    return {
      kind: 'done',
      message: r.changed
        ? `set Helm parameter ${wb.parameter}=${version} on ${
            target.application
          } (was ${r.previous ?? 'unset'})`
        : `${target.application} already has ${wb.parameter}=${version}`,
      data: {
        method: 'argocd',
        parameter: wb.parameter,
        value: version,
        previous: r.previous,
        changed: r.changed,
      },
    };
  }

  const git = ctx.services.git;
  if (!git) {
    return {
      kind: 'fail',
      message: 'no git repository is configured (gitops.git.repositories)',
    };
  }
  const file = valuesFilePath(wb.path, {
    app: target.baseApp,
    env: change.environment,
    appName: target.application,
  });
  // The requester's catalog e-mail and name when the user entity has them.
  const profile = await ctx.services
    .userProfile?.(change.requestedBy)
    .catch(() => undefined);
  const author = authorFor(change.requestedBy, profile);
  const message = (revertOf?: string) =>
    buildCommitMessage({
      changeId: change.id,
      kind: change.kind,
      app: target.baseApp ?? target.application,
      environment: change.environment,
      version,
      fromVersion: change.fromVersion,
      requestedBy: change.requestedBy,
      approvers,
      reason: change.reason,
      revertOf,
      ...(change.override
        ? {
            override: {
              bypassed: ['sync-window'],
              approvedBy: approvers,
            },
          }
        : {}),
    });
  const base = {
    repository: wb.repository,
    file,
    key: wb.key,
    changeId: change.id,
    author,
  };

  if (change.kind === 'rollback') {
    try {
      const r = await git.revert({
        ...base,
        expect: version,
        message: sha => message(sha),
      });
      return {
        kind: 'done',
        message: r.reused
          ? `revert commit ${r.commitSha.slice(
              0,
              12,
            )} of this change is already pushed`
          : `reverted ${r.revertedSha?.slice(
              0,
              12,
            )} in ${file}: commit ${r.commitSha.slice(0, 12)} (${wb.key} ${
              r.previous
            } → ${version})`,
        data: { method: 'git-revert', ...r, file, value: version },
      };
    } catch (e) {
      // The newest change is not the one to undo (e.g. rolling back two
      // versions): write the version itself, still as one audited commit.
      ctx.services.logger.info(
        `change ${change.id}: revert not applicable (${
          (e as Error).message
        }); writing ${version} instead`,
      );
      const r = await git.setValue({
        ...base,
        value: version,
        message: message(),
      });
      return {
        kind: 'done',
        message: `revert not applicable (${(e as Error).message}); committed ${
          wb.key
        }=${version} to ${file}: ${r.commitSha.slice(0, 12)}`,
        data: { method: 'git-set', ...r, file, value: version },
      };
    }
  }

  const r = await git.setValue({ ...base, value: version, message: message() });
  let text = `committed ${wb.key}=${version} to ${file}: ${r.commitSha.slice(
    0,
    12,
  )}`;
  if (r.attempts > 1) text += ` (after ${r.attempts - 1} push conflict(s))`;
  if (r.reused)
    text = `commit ${r.commitSha.slice(
      0,
      12,
    )} of this change is already pushed`;
  if (!r.changed)
    text = `${file} already sets ${wb.key}=${version}; nothing to commit`;
  return {
    kind: 'done',
    message: text,
    data: { method: 'git', ...r, file, value: version },
  };
}
