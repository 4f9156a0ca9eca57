/**
 * Commit messages of the git write-back. Pure.
 */

/** What a commit message names. @internal */
export interface CommitMessageInput {
  changeId: string;
  kind: 'promote' | 'sync' | 'rollback';
  /** Base application name, e.g. `python-api-base`. */
  app: string;
  environment: string;
  version?: string;
  fromVersion?: string;
  requestedBy: string;
  approvers: string[];
  reason?: string;
  /** For a revert: the commit being reverted. */
  revertOf?: string;
}

/** The marker every commit of a change carries; also how a resumed execution finds its commit. @internal */
export function changeMarker(changeId: string): string {
  return `(change ${changeId})`;
}

/**
 * `gitops: promote python-api-base to v1.2.0 in prod (change <id>)` plus
 * `Requested-by:` / `Approved-by:` trailers.
 *
 * @internal
 */
export function buildCommitMessage(input: CommitMessageInput): string {
  const verb = input.kind === 'rollback' ? 'roll back' : input.kind;
  const to = input.version ? ` to ${input.version}` : '';
  const subject = `gitops: ${verb} ${input.app}${to} in ${
    input.environment
  } ${changeMarker(input.changeId)}`;
  const body: string[] = [];
  if (input.fromVersion) body.push(`Previous version: ${input.fromVersion}`);
  if (input.revertOf) body.push(`This reverts commit ${input.revertOf}.`);
  if (input.reason) body.push(`Reason: ${oneLine(input.reason)}`);
  const trailers = [`Requested-by: ${input.requestedBy}`];
  for (const a of input.approvers) trailers.push(`Approved-by: ${a}`);
  trailers.push(`Gitops-Change: ${input.changeId}`);
  return [subject, '', ...(body.length ? [...body, ''] : []), ...trailers].join(
    '\n',
  );
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * Git author identity for a user entity ref: `user:default/alice` →
 * `alice <alice@backstage.invalid>` unless a display name/email is known.
 *
 * @internal
 */
export function authorFor(
  userRef: string,
  profile?: { displayName?: string; email?: string },
): { name: string; email: string } {
  const short = userRef.replace(/^[^:]+:/, '').replace(/^default\//, '');
  const name = profile?.displayName?.trim() || short;
  const email =
    profile?.email?.trim() ||
    `${short.replace(/[^A-Za-z0-9._-]/g, '-')}@backstage.invalid`;
  return { name, email };
}
