import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MessageDto } from '@parley/contracts';
import { request } from '@/lib/http';

export const pinsQueryKey = (roomId: string) => ['rooms', roomId, 'pins'] as const;

/** The room's pinned messages, newest pin first. */
export function getPins(roomId: string, signal?: AbortSignal): Promise<MessageDto[]> {
  return request<MessageDto[]>(`/rooms/${encodeURIComponent(roomId)}/pins`, { signal });
}

export const pinsQueryOptions = (roomId: string) =>
  queryOptions({
    queryKey: pinsQueryKey(roomId),
    queryFn: ({ signal }) => getPins(roomId, signal),
  });

export function usePins(roomId: string, enabled = true) {
  return useQuery({ ...pinsQueryOptions(roomId), enabled });
}

/**
 * A changed message in the cached pin list: added when it became pinned, removed when unpinned
 * or deleted, replaced by a newer version otherwise. Newest pin first.
 */
export function updatePins(
  pins: MessageDto[] | undefined,
  message: MessageDto,
): MessageDto[] | undefined {
  if (!pins) return pins;
  const held = pins.find((pin) => pin.id === message.id);
  if (held && held.version >= message.version) return pins;
  const others = pins.filter((pin) => pin.id !== message.id);
  if (!message.pinnedAt || message.deletedAt) return held ? others : pins;
  return [...others, message].sort((a, b) => Date.parse(b.pinnedAt!) - Date.parse(a.pinnedAt!));
}
