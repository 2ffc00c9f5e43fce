import { useMutation } from '@tanstack/react-query';
import type { AuthSessionDto, GuestSignInDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export function signInGuest(body: GuestSignInDto): Promise<AuthSessionDto> {
  return request<AuthSessionDto>('/auth/guest', { method: 'POST', body });
}

export function useSignInGuest() {
  return useMutation({
    mutationFn: signInGuest,
    onSuccess: (session) => sessionStore.set(session),
  });
}
