import { useEffect } from 'react';
import { useNotificationsServices } from '../hooks/notifications-context';
import { useDesktopNotifications } from '../hooks/use-desktop-notifications';
import { NotificationPrompt } from './notification-prompt';

/** Mounted once per session by the shell: notifications for new messages, and the prompt. */
export function DesktopNotifications({ userId }: { userId: string }) {
  useDesktopNotifications(userId);
  const { offer } = useNotificationsServices();
  // The permission may have been changed in the browser's site settings meanwhile.
  useEffect(() => {
    window.addEventListener('focus', offer.refresh);
    return () => window.removeEventListener('focus', offer.refresh);
  }, [offer]);
  return <NotificationPrompt />;
}
