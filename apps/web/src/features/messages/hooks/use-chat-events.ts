import { useEffect } from 'react';
import type { MessageDto, SystemMessageDto, UserTypingDto } from '@parley/contracts';
import { useChatConnection } from '@/lib/connection-context';
import { useLocalMessagesStore } from './local-messages-context';
import { useMessageDelivery } from './message-delivery-context';
import { useTypingStore } from './typing-context';

/** Feeds server pushes into the delivery (query cache) and the local stores while mounted. */
export function useChatEvents(): void {
  const { socket } = useChatConnection();
  const delivery = useMessageDelivery();
  const store = useLocalMessagesStore();
  const typing = useTypingStore();

  useEffect(() => {
    const onNewMessage = (message: MessageDto) => {
      typing.messageReceived(message.room, message.sender.id);
      delivery.receive(message);
    };
    const onSystemMessage = (notice: SystemMessageDto) => store.addNotice(notice);
    const onUserTyping = (event: UserTypingDto) => typing.receive(event);
    // Edits, deletions, reactions and pins: the whole message, kept unless a newer copy is held.
    const onMessageChanged = (message: MessageDto) => delivery.changed(message);
    // The server ends every indicator of a socket that leaves; this tab would not hear the stops.
    const onDisconnect = () => typing.clear();
    socket.on('new_message', onNewMessage);
    socket.on('system_message', onSystemMessage);
    socket.on('user_typing', onUserTyping);
    socket.on('message_updated', onMessageChanged);
    socket.on('message_deleted', onMessageChanged);
    socket.on('disconnect', onDisconnect);
    return () => {
      socket.off('new_message', onNewMessage);
      socket.off('system_message', onSystemMessage);
      socket.off('user_typing', onUserTyping);
      socket.off('message_updated', onMessageChanged);
      socket.off('message_deleted', onMessageChanged);
      socket.off('disconnect', onDisconnect);
    };
  }, [socket, delivery, store, typing]);
}
