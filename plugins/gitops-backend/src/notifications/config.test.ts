import { ConfigReader } from '@backstage/config';
import { DEFAULT_REMINDER_LEAD_MS, readNotificationSettings } from './config';

const read = (notifications?: unknown) =>
  readNotificationSettings(
    new ConfigReader(
      notifications === undefined ? {} : { gitops: { notifications } },
    ),
  );

describe('readNotificationSettings', () => {
  it('defaults: enabled, reminder 1 h before expiry', () => {
    expect(read()).toEqual({
      enabled: true,
      reminderLeadMs: DEFAULT_REMINDER_LEAD_MS,
    });
  });

  it.each([
    ['30m', 30 * 60_000],
    ['2 hours', 2 * 3_600_000],
    ['PT15M', 15 * 60_000],
    [{ minutes: 45 }, 45 * 60_000],
  ])('reminderLeadTime %j → %d ms', (value, ms) => {
    expect(read({ reminderLeadTime: value }).reminderLeadMs).toBe(ms);
  });

  it('can be turned off', () => {
    expect(read({ enabled: false }).enabled).toBe(false);
  });

  it('a wrong lead time names the key path', () => {
    expect(() => read({ reminderLeadTime: 'soon' })).toThrow(
      "Invalid config at 'gitops.notifications.reminderLeadTime'",
    );
    expect(() => read({ reminderLeadTime: '0' })).toThrow(
      "Invalid config at 'gitops.notifications.reminderLeadTime': must be longer than 0",
    );
  });
});
