import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { sessionStore } from '@/lib/session-store';
import { logOut } from '../api/log-out';

/** Offline or a hung server must not keep anyone signed in. */
const LOGOUT_TIMEOUT_MS = 3_000;

/**
 * Ends the session on the server first (so the refresh cookie cannot bring it back on a reload
 * that follows right away), then forgets the token and every cached response, so the next user
 * starts clean. A failed or slow logout still signs out locally.
 */
export function useSignOut(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void logOut(AbortSignal.timeout(LOGOUT_TIMEOUT_MS))
      .catch(() => undefined)
      .finally(() => {
        sessionStore.clear();
        queryClient.clear();
      });
  }, [queryClient]);
}
