/**
 * Commit messages of the git write-back. Pure.
 */
import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';

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
  /**
   * The change ran under an approved emergency override (outside the sync
   * window, or past the checks the override bypasses).
   */
  override?: {
    /** What the override bypassed, e.g. `sync-window`. */
    bypassed?: string[];
    /** Who approved the override. */
    approvedBy?: string[];
  };
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
  if (input.override) {
    const what = input.override.bypassed?.length
      ? ` (bypassed: ${input.override.bypassed.join(', ')})`
      : '';
    const by = input.override.approvedBy?.length
      ? `; override approved by ${input.override.approvedBy.join(', ')}`
      : '';
    body.push(`Ran under an emergency override${what}${by}.`);
  }
  const trailers = [`Requested-by: ${input.requestedBy}`];
  for (const a of input.approvers) trailers.push(`Approved-by: ${a}`);
  if (input.override) trailers.push('Gitops-Override: true');
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

const profileSchema = z.object({
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^<>\n\r]+$/)
    .optional()
    .catch(undefined),
  email: z.string().trim().email().max(254).optional().catch(undefined),
});

/**
 * The git-relevant part of a user entity's `spec.profile` (display name and
 * e-mail), validated: anything malformed is left out, so the author falls
 * back to the user ref. Pure.
 *
 * @internal
 */
export function userProfileOf(
  user: Entity | undefined,
): { displayName?: string; email?: string } | undefined {
  if (!user || user.kind.toLocaleLowerCase('en-US') !== 'user') {
    return undefined;
  }
  const raw = (user.spec as { profile?: unknown } | undefined)?.profile;
  const parsed = profileSchema.safeParse(raw ?? {});
  if (!parsed.success) return undefined;
  const { displayName, email } = parsed.data;
  return displayName || email
    ? {
        ...(displayName ? { displayName } : {}),
        ...(email ? { email } : {}),
      }
    : undefined;
}
