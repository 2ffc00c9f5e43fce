import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { useChatConnection, useConnectionSnapshot } from '@/lib/connection-context';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { rememberRoom } from './use-my-rooms';

export type RoomJoinState =
  | { status: 'joining' }
  | { status: 'joined'; room: RoomViewDto }
  | { status: 'error'; error: unknown };

interface JoinResult {
  roomId: string;
  attempt: number;
  /** The connection generation the join was asked on. */
  generation: number;
  state: RoomJoinState;
}

/**
 * Opens the room on the socket (`join_room`: a public room becomes mine; its answer is the room
 * view) and remembers it in "my rooms". `retry` asks again after a failure.
 */
export function useRoomJoin(roomId: string, userId: string) {
  const connection = useChatConnection();
  const { generation } = useConnectionSnapshot();
  const queryClient = useQueryClient();
  const [attempt, setAttempt] = useState(0);
  const [result, setResult] = useState<JoinResult | null>(null);
  const current = result && result.roomId === roomId && result.attempt === attempt ? result : null;
  // A join that was answered stays valid across reconnections (the server puts the new socket in
  // all of my rooms); one unanswered or failed is asked again on the next connection.
  const joinedOn = current?.state.status === 'joined' ? current.generation : undefined;
  const connectionKey = joinedOn ?? generation;

  useEffect(() => {
    let mounted = true;
    connection.joinRoom(roomId).then(
      (room) => {
        queryClient.setQueryData(roomQueryKey(room.id), room);
        // Joining a public room makes me a member: it moves to "My rooms".
        void queryClient.invalidateQueries({ queryKey: roomsQueryKey, exact: true });
        rememberRoom(userId, room);
        if (mounted) {
          setResult({
            roomId,
            attempt,
            generation: connectionKey,
            state: { status: 'joined', room },
          });
        }
      },
      (error: unknown) => {
        if (mounted) {
          setResult({
            roomId,
            attempt,
            generation: connectionKey,
            state: { status: 'error', error },
          });
        }
      },
    );
    return () => {
      mounted = false;
    };
  }, [connection, queryClient, roomId, userId, attempt, connectionKey]);

  const state: RoomJoinState = current ? current.state : { status: 'joining' };
  return { state, retry: () => setAttempt((n) => n + 1) };
}
