import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { shareRoomView } from '../lib/room-view';

/** Prefix of everything cached about one room (its messages live under it too). */
export const roomQueryKey = (roomId: string) => ['rooms', roomId] as const;

export function getRoom(roomId: string, signal?: AbortSignal): Promise<RoomViewDto> {
  return request<RoomViewDto>(`/rooms/${encodeURIComponent(roomId)}`, { signal });
}

export const roomQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: roomQueryKey(roomId),
    queryFn: ({ signal }) => getRoom(roomId, signal),
    // Events may have moved seqs past what a fetch read.
    structuralSharing: shareRoomView,
  });

export function useRoom(roomId: string) {
  return useQuery(roomQueryOptions(roomId));
}
