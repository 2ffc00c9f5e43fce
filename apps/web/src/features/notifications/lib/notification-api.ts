export type NotificationPermissionState = NotificationPermission | 'unsupported';

export interface NotificationContent {
  title: string;
  body: string;
  /** One notification per tag: several tabs showing the same message show it once. */
  tag: string;
}

/** The Notification API and the page visibility, behind a seam so tests can stand in for both. */
export interface NotificationApi {
  permission(): NotificationPermissionState;
  /** Must be called from a user gesture (a click), or browsers ignore or penalize it. */
  requestPermission(): Promise<NotificationPermissionState>;
  show(content: NotificationContent, onClick: () => void): void;
  /** Whether the page is out of sight (another tab, minimized): the only time to notify. */
  isPageHidden(): boolean;
}

function supported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

export const browserNotificationApi: NotificationApi = {
  permission: () => (supported() ? Notification.permission : 'unsupported'),
  requestPermission: async () => (supported() ? Notification.requestPermission() : 'unsupported'),
  show: ({ title, body, tag }, onClick) => {
    if (!supported() || Notification.permission !== 'granted') return;
    try {
      const notification = new Notification(title, { body, tag });
      notification.onclick = () => {
        notification.close();
        onClick();
      };
    } catch {
      // Some mobile browsers allow notifications only from a service worker: none is shown.
    }
  },
  isPageHidden: () => document.visibilityState === 'hidden',
};
