import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ChangeStore, StoredChange } from '../store/ChangeStore';

/** Id of the scheduled task that expires overdue change requests. @internal */
export const EXPIRE_TASK_ID = 'gitops-expire-changes';

/**
 * Expiry of change requests not approved before their deadline: the
 * transition (audited as `change-expire`) and the scheduled job.
 *
 * @internal
 */
export class ChangeExpiry {
  readonly #store: ChangeStore;
  readonly #logger: LoggerService;
  readonly #auditor?: AuditorService;
  readonly #now: () => Date;

  static create(options: {
    store: ChangeStore;
    logger: LoggerService;
    /** Audits the system-initiated expiry. */
    auditor?: AuditorService;
    now?: () => Date;
  }): ChangeExpiry {
    return new ChangeExpiry(options);
  }

  private constructor(options: {
    store: ChangeStore;
    logger: LoggerService;
    auditor?: AuditorService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#auditor = options.auditor;
    this.#now = options.now ?? (() => new Date());
  }

  /** Registers the expiry job with Backstage's scheduler (every minute). */
  async schedule(scheduler: SchedulerService): Promise<void> {
    await scheduler.scheduleTask({
      id: EXPIRE_TASK_ID,
      frequency: { minutes: 1 },
      timeout: { minutes: 1 },
      initialDelay: { seconds: 10 },
      fn: async () => {
        const n = await this.expireOverdue();
        if (n)
          this.#logger.info(
            `expired ${n} change request(s) past their approval deadline`,
          );
      },
    });
  }

  /** Expires changes whose approval deadline passed. Returns how many expired. */
  async expireOverdue(): Promise<number> {
    const now = this.#now();
    const open = await this.#store.listChanges({
      states: ['awaiting_approval'],
      limit: 500,
    });
    let n = 0;
    for (const c of open) {
      if (c.expiresAt && Date.parse(c.expiresAt) <= now.getTime()) {
        if (await this.expire(c, now)) n++;
      }
    }
    return n;
  }

  /** Whether the change is awaiting approval past its deadline. */
  isOverdue(change: StoredChange, now: Date): boolean {
    return (
      change.state === 'awaiting_approval' &&
      !!change.expiresAt &&
      Date.parse(change.expiresAt) <= now.getTime()
    );
  }

  /** Moves one overdue change to `expired` (conditional; audited). */
  async expire(change: StoredChange, now: Date) {
    const expired = await this.#store.transition({
      id: change.id,
      from: ['awaiting_approval'],
      to: 'expired',
      now,
      event: {
        type: 'expired',
        actor: 'system:gitops',
        outcome: 'failure',
        message: `not approved before ${change.expiresAt}`,
      },
    });
    if (expired && this.#auditor) {
      try {
        const event = await this.#auditor.createEvent({
          eventId: 'change-expire',
          severityLevel: 'low',
          meta: {
            changeId: change.id,
            entityRef: change.entityRef,
            environment: change.environment,
            version: change.version ?? null,
            fromVersion: change.fromVersion ?? null,
            expiresAt: change.expiresAt ?? null,
          },
        });
        await event.success();
      } catch (e) {
        this.#logger.warn(
          `auditing the expiry of change ${change.id} failed: ${e}`,
        );
      }
    }
    return expired;
  }
}
