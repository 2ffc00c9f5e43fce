import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateRoomDto, RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { roomQueryKey } from './get-room';
import { roomsQueryKey } from './get-rooms';

export function createRoom(body: CreateRoomDto): Promise<RoomViewDto> {
  return request<RoomViewDto>('/rooms', { method: 'POST', body });
}

export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRoom,
    onSuccess: (room) => {
      queryClient.setQueryData(roomQueryKey(room.id), room);
      return queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    },
  });
}
