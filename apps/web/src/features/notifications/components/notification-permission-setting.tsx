import { useNotificationOffer } from '../hooks/notifications-context';

/** For the account settings: the permission as it stands, and a way to ask after "Not now". */
export function NotificationPermissionSetting() {
  const { permission, enable } = useNotificationOffer();
  let content;
  switch (permission) {
    case 'unsupported':
      content = 'Desktop notifications are not available in this browser.';
      break;
    case 'granted':
      content = 'Desktop notifications are on. Choose what notifies you in each room.';
      break;
    case 'denied':
      content = 'Desktop notifications are blocked. Allow them in your browser’s site settings.';
      break;
    case 'default':
      content = (
        <button type="button" className="button button--small" onClick={() => void enable()}>
          Enable desktop notifications
        </button>
      );
      break;
  }
  return <div className="notification-setting">{content}</div>;
}
