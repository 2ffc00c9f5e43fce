import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RoomBanDto, RoomMemberDto, RoomRole } from '@parley/contracts';
import { request } from '@/lib/http';
import { bansQueryKey } from './bans';
import { roomQueryKey } from './get-room';
import { roomsQueryKey } from './get-rooms';

export const membersQueryKey = (roomId: string) => [...roomQueryKey(roomId), 'members'] as const;

export function getMembers(roomId: string, signal?: AbortSignal): Promise<RoomMemberDto[]> {
  return request<RoomMemberDto[]>(`/rooms/${encodeURIComponent(roomId)}/members`, { signal });
}

export const membersQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: membersQueryKey(roomId),
    queryFn: ({ signal }) => getMembers(roomId, signal),
  });

export function useMembers(roomId: string, enabled: boolean) {
  return useQuery({ ...membersQueryOptions(roomId), enabled });
}

export function setMemberRole(roomId: string, userId: string, role: RoomRole) {
  return request<RoomMemberDto>(`/rooms/${roomId}/members/${userId}`, {
    method: 'PATCH',
    body: { role },
  });
}

export function kickMember(roomId: string, userId: string) {
  return request<undefined>(`/rooms/${roomId}/members/${userId}`, { method: 'DELETE' });
}

export function banMember(roomId: string, userId: string) {
  return request<RoomBanDto>(`/rooms/${roomId}/bans/${userId}`, { method: 'PUT' });
}

export function leaveRoomMembership(roomId: string) {
  return request<undefined>(`/rooms/${roomId}/leave`, { method: 'POST' });
}

export type MemberAction =
  | { kind: 'role'; userId: string; role: RoomRole }
  | { kind: 'kick'; userId: string }
  | { kind: 'ban'; userId: string };

/** Kick, ban, promote and demote; the member list refetches afterwards. */
export function useMemberAction(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: MemberAction): Promise<unknown> => {
      switch (action.kind) {
        case 'role':
          return setMemberRole(roomId, action.userId, action.role);
        case 'kick':
          return kickMember(roomId, action.userId);
        case 'ban':
          return banMember(roomId, action.userId);
      }
    },
    onSettled: (_result, _error, action) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: membersQueryKey(roomId) }),
        action.kind === 'ban'
          ? queryClient.invalidateQueries({ queryKey: bansQueryKey(roomId) })
          : undefined,
      ]),
  });
}

export function useLeaveMembership() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: leaveRoomMembership,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: roomsQueryKey }),
  });
}
