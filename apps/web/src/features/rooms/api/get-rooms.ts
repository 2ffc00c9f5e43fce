import { queryOptions, useQuery } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { shareRoomList } from '../lib/room-view';

export const roomsQueryKey = ['rooms', 'list'] as const;

export function getRooms(signal?: AbortSignal): Promise<RoomViewDto[]> {
  return request<RoomViewDto[]>('/rooms', { signal });
}

export const roomsQueryOptions = () =>
  queryOptions({
    queryKey: roomsQueryKey,
    queryFn: ({ signal }) => getRooms(signal),
    // No socket event announces new public rooms, so the directory polls while the app is open.
    refetchInterval: 30_000,
    // Events may have moved seqs past what a (slightly trailing) list says.
    structuralSharing: shareRoomList,
  });

export function useRooms() {
  return useQuery(roomsQueryOptions());
}
