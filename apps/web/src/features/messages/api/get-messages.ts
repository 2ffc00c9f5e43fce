import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import type { MessagePageDto } from '@parley/contracts';
import { request } from '@/lib/http';

/** Pages newest first: page 0 is the latest history, each next page is older. */
export type MessagesData = InfiniteData<MessagePageDto, number | undefined>;

export const messagesQueryKey = (roomId: string) => ['rooms', roomId, 'messages'] as const;

export function getMessages(
  roomId: string,
  before: number | undefined,
  signal?: AbortSignal,
): Promise<MessagePageDto> {
  return request<MessagePageDto>(`/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { before },
    signal,
  });
}

/**
 * The page around a seq (about half before it, the rest from it on): to show a message that is
 * not loaded yet, e.g. the original of a reply or a search result.
 */
export function getMessagesAround(
  roomId: string,
  around: number,
  signal?: AbortSignal,
): Promise<MessagePageDto> {
  return request<MessagePageDto>(`/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { around },
    signal,
  });
}

/** Older history from `before` (exclusive), `limit` at most. */
export function getMessagesBefore(
  roomId: string,
  before: number,
  limit: number,
  signal?: AbortSignal,
): Promise<MessagePageDto> {
  return request<MessagePageDto>(`/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { before, limit },
    signal,
  });
}

export const messagesQueryOptions = (roomId: string) =>
  infiniteQueryOptions<
    MessagePageDto,
    Error,
    MessagesData,
    ReturnType<typeof messagesQueryKey>,
    number | undefined
  >({
    queryKey: messagesQueryKey(roomId),
    queryFn: ({ pageParam, signal }) => getMessages(roomId, pageParam, signal),
    initialPageParam: undefined,
    // "Next" means older: a refetch then walks from the newest page back, as far as was loaded.
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    // The socket keeps a joined room's history current and a reconnection invalidates it, so
    // refetching on focus or remount would only repeat what is already in the cache.
    staleTime: Infinity,
  });

export function useMessages(roomId: string) {
  return useInfiniteQuery(messagesQueryOptions(roomId));
}
