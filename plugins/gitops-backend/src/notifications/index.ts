export { ChangeNotifier } from './ChangeNotifier';
export type { ChangeNotifierOptions } from './ChangeNotifier';
export {
  changeNotificationSources,
  createNotifications,
  NOTIFY_TASK_ID,
} from './createNotifications';
export type {
  NotificationSources,
  TransitionListener,
} from './createNotifications';
export { readNotificationSettings } from './config';
export type { NotificationSettings } from './config';
export { changeLink, entityTopic, CHANGE_QUERY_PARAM } from './messages';
export { NotificationOutbox } from './NotificationOutbox';
export { NotifyingChangeStore } from './NotifyingChangeStore';
export { planNotifications } from './plan';
export { CatalogRecipients } from './recipients';
export type { ChangeTransition, NotifiedChange } from './types';
export { CatalogEntityVisibility } from './visibility';
export type { RecipientVisibility } from './visibility';
