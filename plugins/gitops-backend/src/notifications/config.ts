import { Config } from '@backstage/config';
import { GitopsConfigError, readOptionalDurationMs } from '../config';

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
  const path = 'gitops.notifications';
  const c = config.getOptionalConfig(path);
  const enabled = c?.getOptionalBoolean('enabled') ?? true;
  const lead = c
    ? readOptionalDurationMs(c, 'reminderLeadTime', path)
    : undefined;
  if (lead !== undefined && lead <= 0) {
    throw new GitopsConfigError(
      `${path}.reminderLeadTime`,
      'must be longer than 0',
    );
  }
  return { enabled, reminderLeadMs: lead ?? DEFAULT_REMINDER_LEAD_MS };
}
