import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { useChatConnection } from '@/lib/connection-context';
import { forgetRoom } from './use-my-rooms';

/** Leaves a room: off "my rooms", off the socket, and back to the start page. */
export function useLeaveRoom(userId: string): (roomId: string) => Promise<void> {
  const connection = useChatConnection();
  const navigate = useNavigate();
  return useCallback(
    async (roomId: string) => {
      // Navigate first: the room page would otherwise re-join the room it is showing.
      await navigate('/');
      forgetRoom(userId, roomId);
      await connection.leaveRoom(roomId).catch(() => {
        // Not reachable now: the server drops a disconnected socket from its rooms anyway.
      });
    },
    [connection, navigate, userId],
  );
}
