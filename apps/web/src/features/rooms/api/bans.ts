import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RoomBanDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { roomQueryKey } from './get-room';

export const bansQueryKey = (roomId: string) => [...roomQueryKey(roomId), 'bans'] as const;

export function getBans(roomId: string, signal?: AbortSignal): Promise<RoomBanDto[]> {
  return request<RoomBanDto[]>(`/rooms/${encodeURIComponent(roomId)}/bans`, { signal });
}

export const bansQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: bansQueryKey(roomId),
    queryFn: ({ signal }) => getBans(roomId, signal),
  });

/** Owners and moderators only; the server answers 403 to anyone else. */
export function useBans(roomId: string, enabled: boolean) {
  return useQuery({ ...bansQueryOptions(roomId), enabled });
}

export function unbanUser(roomId: string, userId: string): Promise<undefined> {
  return request<undefined>(
    `/rooms/${encodeURIComponent(roomId)}/bans/${encodeURIComponent(userId)}`,
    { method: 'DELETE' },
  );
}

export function useUnban(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => unbanUser(roomId, userId),
    // Refetch on failure too: a 404 means someone else lifted the ban first.
    onSettled: () => queryClient.invalidateQueries({ queryKey: bansQueryKey(roomId) }),
  });
}
