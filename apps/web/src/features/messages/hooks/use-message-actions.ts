import { useMemo } from 'react';
import type { MessageDto } from '@parley/contracts';
import { useChatConnection } from '@/lib/connection-context';
import { emitWithAck } from '@/lib/socket';
import { useMessageDelivery } from './message-delivery-context';

/** Edit, delete, react and pin for one room; each resolves once the server stored it. */
export interface MessageActions {
  edit(id: string, content: string): Promise<MessageDto>;
  remove(id: string): Promise<MessageDto>;
  react(id: string, emoji: string, add: boolean): Promise<MessageDto>;
  pin(id: string, pinned: boolean): Promise<MessageDto>;
}

/**
 * The room's message actions over the socket. The answer is the changed message, written to the
 * cache at once (the room's `message_updated` / `message_deleted` carries the same version and
 * is then a no-op); errors reject with the server's `ApiRequestError`.
 */
export function useMessageActions(roomId: string): MessageActions {
  const { socket } = useChatConnection();
  const delivery = useMessageDelivery();
  return useMemo(() => {
    const stored = (message: MessageDto) => {
      delivery.changed(message);
      return message;
    };
    return {
      edit: (id, content) =>
        emitWithAck(socket, 'edit_message', { room: roomId, id, content }).then(stored),
      remove: (id) => emitWithAck(socket, 'delete_message', { room: roomId, id }).then(stored),
      react: (id, emoji, add) =>
        emitWithAck(socket, 'react', { room: roomId, id, emoji, add }).then(stored),
      pin: (id, pinned) =>
        emitWithAck(socket, 'pin_message', { room: roomId, id, pinned }).then(stored),
    };
  }, [socket, delivery, roomId]);
}
