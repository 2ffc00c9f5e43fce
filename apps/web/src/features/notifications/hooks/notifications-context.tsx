import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { browserNotificationApi, type NotificationApi } from '../lib/notification-api';
import { NotificationOffer, type NotificationOfferSnapshot } from '../lib/notification-offer';

interface NotificationsServices {
  api: NotificationApi;
  offer: NotificationOffer;
}

/**
 * The browser's Notification API and one offer for the whole app, reachable without a provider
 * around the tree (the composer and the shell both use it). Tests pass fakes through the provider.
 */
const browserServices: NotificationsServices = {
  api: browserNotificationApi,
  offer: new NotificationOffer(browserNotificationApi),
};

const NotificationsContext = createContext<NotificationsServices>(browserServices);

export function NotificationsProvider({
  api,
  offer,
  children,
}: NotificationsServices & { children: ReactNode }) {
  return <NotificationsContext value={{ api, offer }}>{children}</NotificationsContext>;
}

export function useNotificationsServices(): NotificationsServices {
  return useContext(NotificationsContext);
}

export function useNotificationOffer(): NotificationOfferSnapshot &
  Pick<NotificationOffer, 'offer' | 'dismiss' | 'enable'> {
  const { offer } = useNotificationsServices();
  const snapshot = useSyncExternalStore(offer.subscribe, offer.getSnapshot);
  return { ...snapshot, offer: offer.offer, dismiss: offer.dismiss, enable: offer.enable };
}

/**
 * For the moments that make notifications worth offering (sending a message, opening a direct
 * conversation): shows the prompt unless it was dismissed or the permission is already decided.
 */
export function useOfferDesktopNotifications(): () => void {
  return useNotificationsServices().offer.offer;
}
