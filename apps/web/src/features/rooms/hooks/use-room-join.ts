import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RoomDto } from '@parley/contracts';
import { useChatConnection, useConnectionSnapshot } from '@/lib/connection-context';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { rememberRoom } from './use-my-rooms';

export type RoomJoinState =
  { status: 'joining' } | { status: 'joined'; room: RoomDto } | { status: 'error'; error: unknown };

interface JoinResult {
  roomId: string;
  attempt: number;
  state: RoomJoinState;
}

/**
 * Joins the room on the socket (the connection keeps it joined across reconnections) and
 * remembers it in "my rooms". `retry` asks again after a failure.
 */
export function useRoomJoin(roomId: string, userId: string) {
  const connection = useChatConnection();
  const { generation } = useConnectionSnapshot();
  const queryClient = useQueryClient();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<JoinResult | null>(null);

  useEffect(() => {
    let current = true;
    connection.joinRoom(roomId).then(
      (room) => {
        queryClient.setQueryData(roomQueryKey(room.id), room);
        // Joining a public room makes me a member: it moves to "My rooms".
        void queryClient.invalidateQueries({ queryKey: roomsQueryKey, exact: true });
        rememberRoom(userId, room);
        if (current) setResult({ roomId, attempt, state: { status: 'joined', room } });
      },
      (error: unknown) => {
        if (current) setResult({ roomId, attempt, state: { status: 'error', error } });
      },
    );
    return () => {
      current = false;
    };
    // `generation` re-runs the join after a reconnection; the connection makes that idempotent.
  }, [connection, queryClient, roomId, userId, attempt, generation]);

  const state: RoomJoinState =
    result && result.roomId === roomId && result.attempt === attempt
      ? result.state
      : { status: 'joining' };
  return { state, retry: () => setAttempt((n) => n + 1) };
}
