import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { UserDto } from '@parley/contracts';
import { request } from '@/lib/http';

export const userSearchQueryKey = (query: string) => ['users', 'search', query] as const;

/** Users whose username or display name starts with `query` (at most `USER_SEARCH_MAX`). */
export function searchUsers(query: string, signal?: AbortSignal): Promise<UserDto[]> {
  return request<UserDto[]>('/users', { query: { query }, signal });
}

export const userSearchQueryOptions = (query: string) =>
  queryOptions({
    queryKey: userSearchQueryKey(query),
    queryFn: ({ signal }) => searchUsers(query, signal),
    staleTime: 30_000,
  });

/** Searches once `query` is not empty; the previous answer stays while the next one loads. */
export function useUserSearch(query: string) {
  return useQuery({
    ...userSearchQueryOptions(query),
    enabled: query.length > 0,
    placeholderData: keepPreviousData,
  });
}
