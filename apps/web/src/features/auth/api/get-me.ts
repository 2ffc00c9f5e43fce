import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MeDto } from '@parley/contracts';
import { request } from '@/lib/http';

export const meQueryKey = ['users', 'me'] as const;

export function getMe(signal?: AbortSignal): Promise<MeDto> {
  return request<MeDto>('/users/me', { signal });
}

/**
 * Confirms a remembered token is still good; a 401 signs out through the query client's
 * global error handler.
 */
export const meQueryOptions = () =>
  queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe(signal) });

export function useMe() {
  return useQuery(meQueryOptions());
}
