import { useEffect } from 'react';
import type { MessageDto, SystemMessageDto } from '@parley/contracts';
import { useChatConnection } from '@/lib/connection-context';
import { useLocalMessagesStore } from './local-messages-context';
import { useMessageDelivery } from './message-delivery-context';

/** Feeds server pushes into the delivery (query cache) and the local store while mounted. */
export function useChatEvents(): void {
  const { socket } = useChatConnection();
  const delivery = useMessageDelivery();
  const store = useLocalMessagesStore();

  useEffect(() => {
    const onNewMessage = (message: MessageDto) => delivery.receive(message);
    const onSystemMessage = (notice: SystemMessageDto) => store.addNotice(notice);
    socket.on('new_message', onNewMessage);
    socket.on('system_message', onSystemMessage);
    return () => {
      socket.off('new_message', onNewMessage);
      socket.off('system_message', onSystemMessage);
    };
  }, [socket, delivery, store]);
}
