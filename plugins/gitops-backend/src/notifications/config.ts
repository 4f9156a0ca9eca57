import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Settings of `gitops.notifications`. @internal */
export interface NotificationSettings {
  /** Whether change notifications are sent at all (default true). */
  enabled: boolean;
  /** How long before an approval request expires the approvers get a reminder (ms). */
  reminderLeadMs: number;
}

/** Default reminder lead time: 1 hour. @internal */
export const DEFAULT_REMINDER_LEAD_MS = 60 * 60 * 1000;

/**
 * Reads `gitops.notifications` (see config.d.ts). A wrong value stops the
 * backend naming the key path.
 *
 * @internal
 */
export function readNotificationSettings(config: Config): NotificationSettings {
  const c = config.getOptionalConfig('gitops.notifications');
  const enabled = c?.getOptionalBoolean('enabled') ?? true;
  let reminderLeadMs = DEFAULT_REMINDER_LEAD_MS;
  if (c?.has('reminderLeadTime')) {
    try {
      reminderLeadMs = durationToMilliseconds(
        readDurationFromConfig(c, { key: 'reminderLeadTime' }),
      );
    } catch (e) {
      throw new InputError(
        `Invalid config at 'gitops.notifications.reminderLeadTime': ${
          (e as Error).message
        } (expected e.g. 1h, 30 minutes, PT2H or { hours: 1 })`,
      );
    }
    if (reminderLeadMs <= 0) {
      throw new InputError(
        `Invalid config at 'gitops.notifications.reminderLeadTime': must be longer than 0`,
      );
    }
  }
  return { enabled, reminderLeadMs };
}
