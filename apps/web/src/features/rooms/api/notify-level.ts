import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { NotifyLevel, RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { recordNotifyLevel } from '../lib/room-cache';

/** Answers the room with my new level. */
export function updateNotifyLevel(roomId: string, level: NotifyLevel): Promise<RoomViewDto> {
  return request<RoomViewDto>(`/rooms/${encodeURIComponent(roomId)}/notifications`, {
    method: 'PUT',
    body: { level },
  });
}

/** Writes my notification level of a room into every cached view of it. */
export function applyNotifyLevel(
  queryClient: QueryClient,
  roomId: string,
  level: NotifyLevel,
): void {
  recordNotifyLevel(queryClient, { room: roomId, level });
}

/**
 * Shown at once, put back if the server refuses. Other tabs follow through
 * `notifications_updated`, which this tab receives too (a no-op by then).
 */
export function useUpdateNotifyLevel(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ level }: { level: NotifyLevel; previous: NotifyLevel }) =>
      updateNotifyLevel(roomId, level),
    onMutate: ({ level }) => applyNotifyLevel(queryClient, roomId, level),
    onError: (_error, { previous }) => applyNotifyLevel(queryClient, roomId, previous),
  });
}
