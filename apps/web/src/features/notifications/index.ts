export { DesktopNotifications } from './components/desktop-notifications';
export { NotificationPermissionSetting } from './components/notification-permission-setting';
export { NotificationPrompt } from './components/notification-prompt';
export {
  NotificationsProvider,
  useNotificationOffer,
  useOfferDesktopNotifications,
} from './hooks/notifications-context';
export type { NotificationApi, NotificationContent } from './lib/notification-api';
export { NotificationOffer } from './lib/notification-offer';
export {
  defaultNotifyLevel,
  mentionsUser,
  notificationContent,
  shouldNotify,
} from './lib/notification-rules';
