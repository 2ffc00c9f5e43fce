import { useEffect, useMemo } from 'react';
import { useChatConnection } from '@/lib/connection-context';
import { TypingSender } from '../lib/typing-sender';

/**
 * The composer's typing indicator for one room. Unmounting (the room changes or is left) ends it;
 * a disconnection resets it, since the server ended it then.
 */
export function useTypingSender(roomId: string): TypingSender {
  const { socket } = useChatConnection();
  const sender = useMemo(() => new TypingSender(socket, roomId), [socket, roomId]);
  useEffect(() => {
    const onDisconnect = () => sender.reset();
    socket.on('disconnect', onDisconnect);
    return () => {
      socket.off('disconnect', onDisconnect);
      sender.stop();
    };
  }, [socket, sender]);
  return sender;
}
