import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateInviteDto, InviteDto, RoomViewDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { roomQueryKey } from './get-room';
import { roomsQueryKey } from './get-rooms';

export const invitesQueryKey = (roomId: string) => [...roomQueryKey(roomId), 'invites'] as const;

export function getInvites(roomId: string, signal?: AbortSignal): Promise<InviteDto[]> {
  return request<InviteDto[]>(`/rooms/${encodeURIComponent(roomId)}/invites`, { signal });
}

export function useInvites(roomId: string, enabled: boolean) {
  return useQuery({
    ...queryOptions({
      queryKey: invitesQueryKey(roomId),
      queryFn: ({ signal }) => getInvites(roomId, signal),
    }),
    enabled,
  });
}

export function createInvite(roomId: string, body: CreateInviteDto): Promise<InviteDto> {
  return request<InviteDto>(`/rooms/${roomId}/invites`, { method: 'POST', body });
}

export function revokeInvite(roomId: string, code: string): Promise<undefined> {
  return request<undefined>(`/rooms/${roomId}/invites/${code}`, { method: 'DELETE' });
}

export function acceptInvite(code: string): Promise<RoomViewDto> {
  return request<RoomViewDto>(`/invites/${encodeURIComponent(code)}/accept`, { method: 'POST' });
}

export function useCreateInvite(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateInviteDto) => createInvite(roomId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitesQueryKey(roomId) }),
  });
}

export function useRevokeInvite(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => revokeInvite(roomId, code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitesQueryKey(roomId) }),
  });
}

export function useAcceptInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvite,
    onSuccess: (room) => {
      queryClient.setQueryData(roomQueryKey(room.id), room);
      return queryClient.invalidateQueries({ queryKey: roomsQueryKey });
    },
  });
}

/** The link to share: opening it signs in if needed, then accepts. */
export function inviteLink(code: string): string {
  return `${window.location.origin}/invite/${code}`;
}
