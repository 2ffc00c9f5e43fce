import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { sessionStore } from '@/lib/session-store';

/** Forgets the token and every cached response, so the next user starts clean. */
export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    sessionStore.clear();
    queryClient.clear();
  }, [queryClient]);
}
