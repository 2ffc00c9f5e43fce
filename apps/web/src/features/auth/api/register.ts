import { useMutation } from '@tanstack/react-query';
import type { AuthSessionDto, RegisterDto } from '@parley/contracts';
import { request } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export function register(body: RegisterDto): Promise<AuthSessionDto> {
  return request<AuthSessionDto>('/auth/register', { method: 'POST', body });
}

export function useRegister() {
  return useMutation({
    mutationFn: register,
    onSuccess: (session) => sessionStore.set(session),
  });
}
