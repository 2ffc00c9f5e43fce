import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { MessageDto, SystemMessageDto } from '@parley/contracts';
import { useChatConnection } from '@/lib/connection-context';
import { messagesQueryKey, type MessagesData } from '../api/get-messages';
import { upsertMessage } from '../lib/message-cache';
import { useLocalMessagesStore } from './local-messages-context';

/** Feeds server pushes into the query cache and the local store for as long as it is mounted. */
export function useChatEvents(): void {
  const { socket } = useChatConnection();
  const queryClient = useQueryClient();
  const store = useLocalMessagesStore();

  useEffect(() => {
    const onNewMessage = (message: MessageDto) => {
      queryClient.setQueryData<MessagesData>(messagesQueryKey(message.room), (data) =>
        upsertMessage(data, message),
      );
    };
    const onSystemMessage = (notice: SystemMessageDto) => store.addNotice(notice);
    socket.on('new_message', onNewMessage);
    socket.on('system_message', onSystemMessage);
    return () => {
      socket.off('new_message', onNewMessage);
      socket.off('system_message', onSystemMessage);
    };
  }, [socket, queryClient, store]);
}
