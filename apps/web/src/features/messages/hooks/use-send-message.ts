import { useMemo } from 'react';
import type { SendOptions } from '../lib/message-delivery';
import { useMessageDelivery } from './message-delivery-context';

export interface SendMessageActions {
  /** Keeps the message in the outbox and sends it (again after a reload, until acknowledged). */
  send: (content: string, options?: SendOptions) => void;
  /** Sends a failed (or waiting) entry now, with the same `clientMessageId`. */
  retry: (clientMessageId: string) => void;
  /** Gives up on an unsent entry. */
  discard: (clientMessageId: string) => void;
}

export function useSendMessage(roomId: string): SendMessageActions {
  const delivery = useMessageDelivery();
  return useMemo(
    () => ({
      send: (content: string, options?: SendOptions) => delivery.send(roomId, content, options),
      retry: (clientMessageId: string) => delivery.retry(clientMessageId),
      discard: (clientMessageId: string) => delivery.discard(clientMessageId),
    }),
    [delivery, roomId],
  );
}
