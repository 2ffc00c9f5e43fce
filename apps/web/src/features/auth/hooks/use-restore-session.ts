import { useEffect, useState } from 'react';
import { refreshSession } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export type RestoreState = 'restoring' | 'done';

/** Once per page load: after a sign-out there is nothing to restore. */
let attempted = false;

/**
 * On page load the access token is gone (it lives in memory only); the HttpOnly refresh cookie,
 * if the browser has one, brings the session back. Until that answer arrives the sign-in forms
 * are not shown, so a remembered user never sees them flash.
 */
export function useRestoreSession(): RestoreState {
  const [state, setState] = useState<RestoreState>(attempted ? 'done' : 'restoring');
  useEffect(() => {
    if (state === 'done') return;
    attempted = true;
    let active = true;
    // On success the session store is set and the app leaves the sign-in page. Without an answer
    // (offline) the app opens for the user signed in last, who is renewed once the network is back.
    void refreshSession()
      .catch(() => sessionStore.resumeOffline())
      .finally(() => {
        if (active) setState('done');
      });
    return () => {
      active = false;
    };
  }, [state]);
  return state;
}

/** For tests: behave like a fresh page load. */
export function resetRestoreAttempt(): void {
  attempted = false;
}
