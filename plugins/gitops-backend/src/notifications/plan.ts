import { ChangeTransition, PlannedNotification } from './types';

/**
 * Which notifications a transition causes, highest priority first. A person
 * who holds several roles (e.g. an owner who is also an approver) gets only
 * the first notification that names one of their roles: one notification per
 * transition and recipient.
 *
 * Pure: no I/O, no clock.
 *
 * @internal
 */
export function planNotifications(t: ChangeTransition): PlannedNotification[] {
  const c = t.change;
  const key = (suffix: string) => `${c.id}:${suffix}`;
  if (t.to === 'reminder') {
    return c.state === 'awaiting_approval'
      ? [
          {
            kind: 'approval_reminder',
            roles: ['approvers'],
            transitionKey: key(`reminder:${c.expiresAt ?? ''}`),
          },
        ]
      : [];
  }
  const created = t.from === undefined;
  const plans: PlannedNotification[] = [];
  if (created && c.override) {
    plans.push({
      kind: 'override_requested',
      roles: ['approvers', 'override'],
      transitionKey: key('created'),
    });
  }
  switch (t.to) {
    case 'awaiting_approval':
      if (created) {
        plans.push({
          kind: 'approval_requested',
          roles: ['approvers'],
          transitionKey: key('created'),
        });
      }
      break;
    case 'approved':
      // Created already approved (no gate): the requester knows, nobody to tell.
      if (!created) {
        plans.push({
          kind: 'approved',
          roles: ['requester'],
          transitionKey: key('approved'),
        });
      }
      break;
    case 'waiting_for_window':
      // Also after a re-check at execution time moved it back: keyed by runAfter.
      plans.push({
        kind: 'waiting_for_window',
        roles: ['requester'],
        transitionKey: key(`waiting:${c.runAfter ?? ''}`),
      });
      break;
    case 'rejected':
      plans.push({
        kind: 'rejected',
        roles: ['requester'],
        transitionKey: key('rejected'),
      });
      break;
    case 'expired':
      plans.push({
        kind: 'expired',
        roles: ['requester'],
        transitionKey: key('expired'),
      });
      break;
    case 'succeeded':
    case 'failed':
      if (c.override) {
        plans.push({
          kind: 'override_executed',
          roles: ['approvers', 'override'],
          transitionKey: key(t.to),
        });
      }
      plans.push({
        kind: t.to,
        roles: ['requester', 'owners'],
        transitionKey: key(t.to),
      });
      break;
    default:
      break;
  }
  return plans;
}
