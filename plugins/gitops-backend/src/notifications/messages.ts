import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { NotificationKind, NotifiedChange } from './types';

/** Query parameter of the GitOps tab that opens one change's review. @internal */
export const CHANGE_QUERY_PARAM = 'change';

/**
 * Path of the entity page's GitOps tab that opens this change's review,
 * e.g. `/catalog/default/component/payments/gitops?change=<id>` (the tab's
 * path is `gitops`, see plugins/gitops `alpha.tsx`).
 *
 * @internal
 */
export function changeLink(change: Pick<NotifiedChange, 'id' | 'entityRef'>) {
  const { kind, namespace, name } = parseEntityRef(change.entityRef);
  const seg = (s: string) => encodeURIComponent(s);
  return `/catalog/${seg(namespace.toLocaleLowerCase('en-US'))}/${seg(
    kind.toLocaleLowerCase('en-US'),
  )}/${seg(name)}/gitops?${CHANGE_QUERY_PARAM}=${encodeURIComponent(
    change.id,
  )}`;
}

/**
 * Topic of every notification about an entity: muting this topic in the
 * notification settings mutes that one entity (the origin is `plugin:gitops`).
 *
 * @internal
 */
export function entityTopic(entityRef: string) {
  return `gitops:${entityRef}`;
}

const name = (ref: string) => {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
};

function what(c: NotifiedChange): string {
  switch (c.kind) {
    case 'promote':
      return `promote ${c.version ?? ''} to ${c.environment}`;
    case 'rollback':
      return `roll back ${c.environment} to ${
        c.version ?? 'an earlier version'
      }`;
    default:
      return `sync ${c.environment}`;
  }
}

function checksLine(c: NotifiedChange): string {
  const n = (s: string) => c.checks.filter(x => x.status === s).length;
  const pending = c.checks
    .filter(x => x.status === 'pending')
    .map(x => x.message);
  return `Checks: ${n('pass')} pass, ${n('fail')} fail, ${n(
    'pending',
  )} pending${pending.length ? ` (${pending.join('; ')})` : ''}.`;
}

function versions(c: NotifiedChange): string {
  return `${c.fromVersion ?? 'unknown'} → ${c.version ?? 'what Git says'}`;
}

/** Extra facts of a transition used in the texts. @internal */
export interface MessageContext {
  actor?: string;
  comment?: string;
}

/**
 * Builds the notification payload: title, description, link to the change's
 * review, severity (high for overrides), topic (one entity) and scope (one
 * transition, so a re-send updates the same notification instead of adding
 * one).
 *
 * @internal
 */
export function buildPayload(
  kind: NotificationKind,
  c: NotifiedChange,
  scope: string,
  ctx: MessageContext = {},
): NotificationPayload {
  const entity = name(c.entityRef);
  const reason = c.reason ? ` Reason: ${c.reason}.` : '';
  const by = name(c.requestedBy);
  let title: string;
  let description: string;
  switch (kind) {
    case 'approval_requested':
      title = `Approval needed: ${entity} ${what(c)}`;
      description = `${by} requests to ${what(c)} of ${entity} (${versions(
        c,
      )}).${reason} ${checksLine(c)}${
        c.expiresAt ? ` The request expires at ${c.expiresAt}.` : ''
      }`;
      break;
    case 'approval_reminder':
      title = `Reminder: ${entity} ${what(c)} expires soon`;
      description = `${by}'s request to ${what(c)} of ${entity} (${versions(
        c,
      )}) still needs ${c.requiredApprovals} approval(s) and expires at ${
        c.expiresAt
      }.${reason}`;
      break;
    case 'override_requested':
      title = `Emergency override requested: ${entity} ${what(c)}`;
      description = `${by} requests an emergency override to ${what(
        c,
      )} of ${entity} (${versions(c)}).${reason} ${checksLine(c)}`;
      break;
    case 'override_executed':
      title = `Emergency override ${
        c.state === 'succeeded' ? 'executed' : 'failed'
      }: ${entity} ${what(c)}`;
      description = `${by}'s emergency override to ${what(
        c,
      )} of ${entity} (${versions(c)}) ${
        c.state === 'succeeded' ? 'ran' : 'failed'
      }.${reason}${
        c.result?.failedStep ? ` Failed step: ${c.result.failedStep}.` : ''
      }`;
      break;
    case 'approved':
      title = `Approved: ${entity} ${what(c)}`;
      description = `${
        ctx.actor ? name(ctx.actor) : 'The approvers'
      } approved your request to ${what(c)} of ${entity} (${versions(
        c,
      )}). It runs now.`;
      break;
    case 'waiting_for_window':
      title = `Waiting for the window: ${entity} ${what(c)}`;
      description = `Your request to ${what(
        c,
      )} of ${entity} is approved and waits for the deployment window; it runs after ${
        c.runAfter ?? 'the window opens'
      }.`;
      break;
    case 'rejected':
      title = `Rejected: ${entity} ${what(c)}`;
      description = `${
        ctx.actor ? name(ctx.actor) : 'An approver'
      } rejected your request to ${what(c)} of ${entity}.${
        ctx.comment ? ` Comment: ${ctx.comment}` : ''
      }`;
      break;
    case 'expired':
      title = `Expired: ${entity} ${what(c)}`;
      description = `Your request to ${what(
        c,
      )} of ${entity} was not approved before ${
        c.expiresAt ?? 'its deadline'
      }; request it again if it is still needed.`;
      break;
    case 'succeeded':
      title = `Deployed: ${entity} ${what(c)}`;
      description = `${what(c)} of ${entity} succeeded (${versions(c)}).${
        c.result?.commitSha ? ` Commit ${c.result.commitSha.slice(0, 12)}.` : ''
      }`;
      break;
    case 'failed':
    default:
      title = `Failed: ${entity} ${what(c)}`;
      description = `${what(c)} of ${entity} failed${
        c.result?.failedStep ? ` at step ${c.result.failedStep}` : ''
      }${c.result?.message ? `: ${c.result.message}` : ''}.${
        c.result?.rollbackOffered
          ? ` A rollback to ${
              c.fromVersion ?? 'the previous version'
            } is offered on the change's page.`
          : ''
      }`;
      break;
  }
  return {
    title,
    description,
    link: changeLink(c),
    severity:
      kind === 'override_requested' || kind === 'override_executed'
        ? 'high'
        : 'normal',
    topic: entityTopic(c.entityRef),
    scope,
    metadata: {
      changeId: c.id,
      entityRef: c.entityRef,
      environment: c.environment,
      kind: c.kind,
      state: c.state,
      notification: kind,
      ...(c.version ? { version: c.version } : {}),
      ...(c.fromVersion ? { fromVersion: c.fromVersion } : {}),
      ...(c.runAfter ? { runAfter: c.runAfter } : {}),
      ...(c.result?.failedStep ? { failedStep: c.result.failedStep } : {}),
      ...(c.result?.rollbackOffered !== undefined
        ? { rollbackOffered: c.result.rollbackOffered }
        : {}),
    },
  };
}
