import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RoomDto, RoomViewDto, UpdateRoomDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { roomQueryKey } from './get-room';
import { roomsQueryKey } from './get-rooms';
import { mergeRoomView } from '../lib/room-view';

export function updateRoom(roomId: string, body: UpdateRoomDto): Promise<RoomDto> {
  return request<RoomDto>(`/rooms/${roomId}`, { method: 'PATCH', body });
}

export function deleteRoom(roomId: string): Promise<undefined> {
  return request<undefined>(`/rooms/${roomId}`, { method: 'DELETE' });
}

/**
 * Keeps the caller's view (role, read cursor, peer): `room_updated` and PATCH carry the room
 * without it. Their `lastSeq` and preview may trail what messages already told this tab.
 */
export function mergeRoom(
  previous: RoomViewDto | undefined,
  room: RoomDto,
): RoomViewDto | undefined {
  return previous ? mergeRoomView(previous, { ...previous, ...room }) : undefined;
}

export function useUpdateRoom(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateRoomDto) => updateRoom(roomId, body),
    onSuccess: (room) => {
      queryClient.setQueryData<RoomViewDto>(roomQueryKey(roomId), (previous) =>
        mergeRoom(previous, room),
      );
      return queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    },
  });
}

export function useDeleteRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteRoom,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roomsQueryKey }),
  });
}
