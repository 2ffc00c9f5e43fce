import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { roomQueryKey } from './get-room';
import { roomsQueryKey } from './get-rooms';

export function openDirectRoom(username: string): Promise<RoomViewDto> {
  return request<RoomViewDto>('/dms', { method: 'POST', body: { username } });
}

export function useOpenDirectRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: openDirectRoom,
    onSuccess: (room) => {
      queryClient.setQueryData(roomQueryKey(room.id), room);
      return queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    },
  });
}
