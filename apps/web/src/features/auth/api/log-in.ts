import { useMutation } from '@tanstack/react-query';
import type { AuthSessionDto, LoginDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export function logIn(body: LoginDto): Promise<AuthSessionDto> {
  return request<AuthSessionDto>('/auth/login', { method: 'POST', body });
}

export function useLogIn() {
  return useMutation({
    mutationFn: logIn,
    onSuccess: (session) => sessionStore.set(session),
  });
}
