import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useChatConnection } from '@/lib/connection-context';
import { roomsQueryKey } from '../api/get-rooms';
import { leaveRoomMembership } from '../api/members';
import { forgetRoom } from './use-my-rooms';

/**
 * Leaves a room for good (the server drops the membership; the last owner is refused with
 * `last_owner`), then takes it off the socket and goes back to the start page. Rejects when the
 * server refuses, so the caller can say why.
 */
export function useLeaveRoom(userId: string): (roomId: string) => Promise<void> {
  const connection = useChatConnection();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return useCallback(
    async (roomId: string) => {
      await leaveRoomMembership(roomId);
      // Navigate first: the room page would otherwise re-join the room it is showing.
      await navigate('/');
      forgetRoom(userId, roomId);
      void queryClient.invalidateQueries({ queryKey: roomsQueryKey });
      await connection.leaveRoom(roomId).catch(() => {
        // Not reachable now: the server drops a disconnected socket from its rooms anyway.
      });
    },
    [connection, navigate, queryClient, userId],
  );
}
