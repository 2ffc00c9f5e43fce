import { useMutation } from '@tanstack/react-query';
import type { AuthSessionDto, ClaimAccountDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export function claimName(body: ClaimAccountDto): Promise<AuthSessionDto> {
  return request<AuthSessionDto>('/auth/claim', { method: 'POST', body });
}

/** The same user, now registered: the store update re-renders the shell without the prompt. */
export function useClaimName() {
  return useMutation({
    mutationFn: claimName,
    onSuccess: (session) => sessionStore.set(session),
  });
}
