import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useChatConnection } from '@/lib/connection-context';
import { roomsQueryKey } from '../api/get-rooms';
import { leaveRoomMembership } from '../api/members';
import { forgetRoom } from './use-my-rooms';

/**
 * Leaves a room for good (the server drops the membership and takes my sockets out of the room;
 * the last owner is refused with `last_owner`), then goes back to the start page. Rejects when
 * the server refuses, so the caller can say why.
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
      connection.forgetRoom(roomId);
      void queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    },
    [connection, navigate, queryClient, userId],
  );
}
