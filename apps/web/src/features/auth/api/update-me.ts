import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MeDto, UpdateMeDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { meQueryKey } from './get-me';

export function updateMe(body: UpdateMeDto): Promise<MeDto> {
  return request<MeDto>('/users/me', { method: 'PATCH', body });
}

/** My settings: shown changed at once, put back if the server refuses. */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onMutate: async (change) => {
      await queryClient.cancelQueries({ queryKey: meQueryKey });
      const previous = queryClient.getQueryData<MeDto>(meQueryKey);
      if (previous) queryClient.setQueryData<MeDto>(meQueryKey, { ...previous, ...change });
      return { previous };
    },
    onError: (_error, _change, context) => {
      if (context?.previous) queryClient.setQueryData(meQueryKey, context.previous);
    },
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
}
