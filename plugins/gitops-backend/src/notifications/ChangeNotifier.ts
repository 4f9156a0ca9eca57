import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { randomUUID } from 'crypto';
import { buildPayload } from './messages';
import { NotificationOutbox, OutboxEntry } from './NotificationOutbox';
import { planNotifications } from './plan';
import { CatalogRecipients } from './recipients';
import {
  ChangeTransition,
  NotifiedChange,
  PlannedNotification,
  RecipientRole,
} from './types';
import { RecipientVisibility } from './visibility';

const lc = (s: string) => s.toLocaleLowerCase('en-US');

/** Options of {@link ChangeNotifier}. @internal */
export interface ChangeNotifierOptions {
  outbox: NotificationOutbox;
  notifications: NotificationService;
  recipients: Pick<CatalogRecipients, 'usersOf' | 'ownersOf'>;
  visibility: RecipientVisibility;
  /** The override group of the change's environment (the policy's `override.allowed`). */
  overrideRefs: (change: NotifiedChange) => string[];
  logger: LoggerService;
  /** How long before an approval request expires the approvers are reminded (ms). */
  reminderLeadMs: number;
  /** How long a replica holds an outbox row while sending it (ms). Default 60 s. */
  claimMs?: number;
  /** Attempts before a notification is given up. Default 8. */
  maxAttempts?: number;
  now?: () => Date;
}

/**
 * Sends the change notifications: for each transition the store let this
 * replica make, works out the recipients (approvers, requester, owners, the
 * override group; groups expanded to users; the actor and people who cannot
 * see the entity left out), writes one outbox row per transition and
 * recipient (a unique key: the same transition reported twice, by two
 * replicas or a retry, adds nothing) and delivers the rows it claims through
 * the notifications service. Rows left unsent (a crash, the notifications
 * backend down) are retried by {@link ChangeNotifier.deliverDue}.
 *
 * Never throws into the state machine: a failed notification is logged and
 * retried, it never undoes or blocks a transition.
 *
 * @internal
 */
export class ChangeNotifier {
  readonly #o: ChangeNotifierOptions;
  readonly #owner = `gitops-notifier:${randomUUID()}`;
  readonly #now: () => Date;

  constructor(options: ChangeNotifierOptions) {
    this.#o = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Reports a transition; resolves when its notifications were sent or queued. */
  async notify(t: ChangeTransition): Promise<void> {
    try {
      const entries = await this.#plan(t);
      const keys = await this.#o.outbox.enqueue(entries, this.#now());
      await this.#deliver(keys);
    } catch (e) {
      this.#o.logger.warn(
        `notifications for change ${t.change.id} (${t.to}) failed; retried later: ${e}`,
      );
    }
  }

  /** Sends the reminders due now for these changes awaiting approval. */
  async remind(changes: NotifiedChange[]): Promise<number> {
    const now = this.#now().getTime();
    let n = 0;
    for (const change of changes) {
      if (change.state !== 'awaiting_approval' || !change.expiresAt) continue;
      const expires = Date.parse(change.expiresAt);
      if (now < expires - this.#o.reminderLeadMs || now >= expires) continue;
      await this.notify({ change, to: 'reminder', actor: 'system:gitops' });
      n++;
    }
    return n;
  }

  /** Delivers every due outbox row (retries); returns how many were sent. */
  async deliverDue(): Promise<number> {
    return this.#deliver(undefined);
  }

  async #plan(t: ChangeTransition): Promise<OutboxEntry[]> {
    const plans = planNotifications(t);
    if (!plans.length) return [];
    const c = t.change;
    const roles = new Set(plans.flatMap(p => p.roles));
    const refsOf: Partial<Record<RecipientRole, string[]>> = {};
    const fetch = async (
      role: RecipientRole,
      refs: () => Promise<string[]>,
    ) => {
      if (roles.has(role))
        refsOf[role] = await this.#o.recipients.usersOf(await refs());
    };
    await Promise.all([
      fetch('approvers', async () => c.approverRefs),
      fetch('requester', async () => [c.requestedBy]),
      fetch('owners', () => this.#o.recipients.ownersOf(c.entityRef)),
      fetch('override', async () => this.#o.overrideRefs(c)),
    ]);
    const excluded = new Set<string>();
    if (t.actor) excluded.add(lc(t.actor));
    const decided = new Set(c.approvals.map(a => lc(a.approver)));
    // One notification per recipient: the first plan naming one of their roles.
    const chosen = new Map<string, PlannedNotification>();
    for (const plan of plans) {
      for (const role of plan.roles) {
        for (const user of refsOf[role] ?? []) {
          if (excluded.has(user) || chosen.has(user)) continue;
          const asks = role === 'approvers' || role === 'override';
          if (asks && plan.kind !== 'override_executed') {
            // The requester never decides on their own change; a reminder
            // only goes to approvers who have not decided yet.
            if (user === lc(c.requestedBy)) continue;
            if (plan.kind === 'approval_reminder' && decided.has(user))
              continue;
          }
          chosen.set(user, plan);
        }
      }
    }
    const visible = new Set(
      await this.#o.visibility.visibleTo(c.entityRef, [...chosen.keys()]),
    );
    const entries: OutboxEntry[] = [];
    for (const [user, plan] of chosen) {
      if (!visible.has(user)) continue;
      const scope = `gitops:${plan.transitionKey}`;
      entries.push({
        dedupKey: `${plan.transitionKey}:${user}`,
        changeId: c.id,
        recipient: user,
        payload: buildPayload(plan.kind, c, scope, {
          actor: t.actor,
          comment: t.comment,
        }),
      });
    }
    return entries;
  }

  async #deliver(keys: string[] | undefined): Promise<number> {
    const claimed = await this.#o.outbox.claim({
      owner: this.#owner,
      now: this.#now(),
      leaseMs: this.#o.claimMs ?? 60_000,
      keys,
    });
    let sent = 0;
    for (const entry of claimed) {
      try {
        await this.#o.notifications.send({
          recipients: { type: 'entity', entityRef: entry.recipient },
          payload: entry.payload,
        });
        await this.#o.outbox.markSent(entry.id, entry.claim, this.#now());
        sent++;
      } catch (e) {
        const attempt = entry.attempts + 1;
        const max = this.#o.maxAttempts ?? 8;
        const retryAt =
          attempt < max
            ? new Date(this.#now().getTime() + 30_000 * 2 ** (attempt - 1))
            : undefined;
        this.#o.logger.warn(
          `notification ${entry.dedupKey} not sent (attempt ${attempt}/${max}${
            retryAt ? `, retry at ${retryAt.toISOString()}` : ', given up'
          }): ${e}`,
        );
        await this.#o.outbox
          .markFailed(entry.id, entry.claim, String(e), retryAt, this.#now())
          .catch(() => {});
      }
    }
    return sent;
  }
}
