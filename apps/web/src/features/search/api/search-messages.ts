import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { SEARCH_PAGE_DEFAULT, type SearchResultDto } from '@parley/contracts';
import { request } from '@/lib/http';

export interface SearchScope {
  q: string;
  /** One room; `undefined` searches every room of mine. */
  room?: string;
}

export const searchQueryKey = ({ q, room }: SearchScope) =>
  ['search', 'messages', { q, room: room ?? null }] as const;

export function searchMessages(
  scope: SearchScope,
  before: string | undefined,
  signal?: AbortSignal,
): Promise<SearchResultDto> {
  return request<SearchResultDto>('/search/messages', {
    query: { q: scope.q, room: scope.room, before, limit: SEARCH_PAGE_DEFAULT },
    signal,
  });
}

/** Newest hits first; "More" fetches the next (older) page. Off while the query is empty. */
export function useSearchMessages(scope: SearchScope) {
  return useInfiniteQuery<
    SearchResultDto,
    Error,
    InfiniteData<SearchResultDto, string | undefined>,
    ReturnType<typeof searchQueryKey>,
    string | undefined
  >({
    queryKey: searchQueryKey(scope),
    queryFn: ({ pageParam, signal }) => searchMessages(scope, pageParam, signal),
    initialPageParam: undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    enabled: scope.q.length > 0,
    // Results age as messages arrive, but a search is asked again by typing: no background refetch.
    staleTime: 30_000,
    refetchOnWindowFocus: false,
  });
}
