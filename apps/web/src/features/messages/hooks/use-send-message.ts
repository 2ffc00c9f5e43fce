import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { describeError } from '@/lib/api-error';
import { useChatConnection } from '@/lib/connection-context';
import { randomId } from '@/lib/uuid';
import { messagesQueryKey, type MessagesData } from '../api/get-messages';
import { upsertMessage } from '../lib/message-cache';
import type { PendingMessage } from '../lib/timeline';
import { useLocalMessagesStore } from './local-messages-context';

/**
 * How long a send may stay "pending" before the UI offers Retry. The send itself is not
 * cancelled: if its ack arrives later the message simply shows as sent.
 */
export const SEND_DEADLINE_MS = 15_000;

export interface SendMessageActions {
  send: (content: string) => void;
  /** Re-sends with the same `clientMessageId`, so the server stores it at most once. */
  retry: (clientMessageId: string) => void;
}

export function useSendMessage(roomId: string): SendMessageActions {
  const connection = useChatConnection();
  const queryClient = useQueryClient();
  const store = useLocalMessagesStore();

  const deliver = useCallback(
    (message: PendingMessage) => {
      const { room, content, clientMessageId } = message;
      let settled = false;
      const deadline = setTimeout(() => {
        if (!settled) store.markFailed(room, clientMessageId, 'No answer from the server yet.');
      }, SEND_DEADLINE_MS);
      connection.sendMessage({ room, content, clientMessageId }).then(
        (stored) => {
          settled = true;
          clearTimeout(deadline);
          queryClient.setQueryData<MessagesData>(messagesQueryKey(room), (data) =>
            upsertMessage(data, stored),
          );
          store.resolve(room, clientMessageId);
        },
        (error: unknown) => {
          settled = true;
          clearTimeout(deadline);
          store.markFailed(room, clientMessageId, describeError(error));
        },
      );
    },
    [connection, queryClient, store],
  );

  const send = useCallback(
    (content: string) => {
      const message: PendingMessage = {
        clientMessageId: randomId(),
        room: roomId,
        content,
        createdAt: new Date().toISOString(),
        status: 'pending',
      };
      store.addPending(message);
      deliver(message);
    },
    [deliver, roomId, store],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const message = store.findPending(roomId, clientMessageId);
      if (!message || message.status !== 'failed') return;
      store.markPending(roomId, clientMessageId);
      deliver(message);
    },
    [deliver, roomId, store],
  );

  return { send, retry };
}
