import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { MessageDelivery } from '../lib/message-delivery';
import type { PendingMessage } from '../lib/timeline';

const MessageDeliveryContext = createContext<MessageDelivery | null>(null);

/** One delivery per signed-in session (the Shell creates it with the connection). */
export function MessageDeliveryProvider({
  delivery,
  children,
}: {
  delivery: MessageDelivery;
  children: ReactNode;
}) {
  return <MessageDeliveryContext value={delivery}>{children}</MessageDeliveryContext>;
}

export function useMessageDelivery(): MessageDelivery {
  const delivery = useContext(MessageDeliveryContext);
  if (!delivery)
    throw new Error('useMessageDelivery must be used inside <MessageDeliveryProvider>');
  return delivery;
}

/** The room's outbox entries (pending and failed), also those written by the user's other tabs. */
export function useRoomOutbox(roomId: string): PendingMessage[] {
  const delivery = useMessageDelivery();
  return useSyncExternalStore(delivery.subscribe, () => delivery.pending(roomId));
}
