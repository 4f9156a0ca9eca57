import {
  AuthService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import type { PolicySet } from '../policy/types';
import type { ChangeStore } from '../store/ChangeStore';
import { ChangeNotifier } from './ChangeNotifier';
import { readNotificationSettings } from './config';
import { NotificationOutbox } from './NotificationOutbox';
import { CatalogRecipients } from './recipients';
import { ChangeTransition, NotifiedChange } from './types';
import { CatalogEntityVisibility, RecipientVisibility } from './visibility';

/** Id of the scheduled task that sends reminders and retries notifications. @internal */
export const NOTIFY_TASK_ID = 'gitops-notifications';

/** What the notifications need of the change side. @internal */
export interface NotificationSources {
  /** Changes awaiting approval (for reminders). */
  listAwaitingApproval(): Promise<NotifiedChange[]>;
  /** Override group refs (`override.allowed`) of a change's environment. */
  overrideRefs(change: NotifiedChange): string[];
}

/**
 * The sources from the change store and the policy: changes awaiting
 * approval (for reminders), and the override group of an environment
 * (`override.allowed`).
 *
 * @internal
 */
export function changeNotificationSources(
  store: Pick<ChangeStore, 'listChanges'>,
  policies: PolicySet,
): NotificationSources {
  return {
    listAwaitingApproval: () =>
      store.listChanges({ states: ['awaiting_approval'], limit: 500 }),
    overrideRefs: change =>
      policies.pipelines
        .get(change.pipeline)
        ?.environments.find(e => e.name === change.environment)?.override
        ?.allowed ?? [],
  };
}

/** The transition listener (see NotifyingChangeStore). @internal */
export type TransitionListener = (t: ChangeTransition) => Promise<void>;

/**
 * Builds the change notifications: the outbox (migrated), the notifier, and
 * a scheduled task (one replica at a time) that sends approval reminders and
 * retries unsent notifications. Returns the listener for the state
 * machine's transitions (a no-op when `gitops.notifications.enabled` is
 * false).
 *
 * @internal
 */
export async function createNotifications(options: {
  config: RootConfigService;
  database: DatabaseService;
  logger: LoggerService;
  auth: AuthService;
  scheduler: SchedulerService;
  catalog: CatalogService;
  notifications: NotificationService;
  sources: NotificationSources;
  visibility?: RecipientVisibility;
}): Promise<{ onTransition: TransitionListener; notifier?: ChangeNotifier }> {
  const settings = readNotificationSettings(options.config);
  if (!settings.enabled) {
    return { onTransition: async () => {} };
  }
  const logger = options.logger.child({ component: 'gitops-notifications' });
  const outbox = await NotificationOutbox.create({
    database: options.database,
  });
  const notifier = new ChangeNotifier({
    outbox,
    notifications: options.notifications,
    recipients: new CatalogRecipients(options),
    visibility: options.visibility ?? new CatalogEntityVisibility(options),
    overrideRefs: c => options.sources.overrideRefs(c),
    logger,
    reminderLeadMs: settings.reminderLeadMs,
  });
  await options.scheduler.scheduleTask({
    id: NOTIFY_TASK_ID,
    frequency: { minutes: 1 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 15 },
    fn: async () => {
      const reminded = await notifier.remind(
        await options.sources.listAwaitingApproval(),
      );
      const retried = await notifier.deliverDue();
      if (reminded || retried) {
        logger.info(
          `sent ${reminded} approval reminder(s), ${retried} pending notification(s)`,
        );
      }
    },
  });
  return { onTransition: t => notifier.notify(t), notifier };
}
