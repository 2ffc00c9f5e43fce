import { useSyncExternalStore } from 'react';
import type { AuthSessionDto } from '@parley/contracts';

/** Where earlier versions kept the whole session, long-lived token included. */
const LEGACY_STORAGE_KEY = 'parley:session';
const SIGNED_OUT_MESSAGE = 'signed-out';

/** The slice of `BroadcastChannel` the store uses, so tests can pass a fake. */
export interface SessionChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

type Listener = () => void;

/**
 * The signed-in session, in memory only: the access token lives for minutes and is never written
 * to storage a script could read later. What survives a reload is the HttpOnly refresh cookie,
 * which `POST /api/auth/refresh` exchanges for a new session on page load. Lives in lib/ because
 * the HTTP client, the socket and the features all read the token. Tabs share the cookie, so a
 * sign-out in one tab (which revokes it) signs the others out too, through `channel`.
 */
export class SessionStore {
  private session: AuthSessionDto | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly channel?: SessionChannel) {
    channel?.addEventListener('message', (event) => {
      if (event.data === SIGNED_OUT_MESSAGE && this.session) this.update(null);
    });
  }

  get = (): AuthSessionDto | null => this.session;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(session: AuthSessionDto): void {
    this.update(session);
  }

  clear(): void {
    const wasSignedIn = this.session !== null;
    this.update(null);
    if (wasSignedIn) this.channel?.postMessage(SIGNED_OUT_MESSAGE);
  }

  private update(session: AuthSessionDto | null): void {
    this.session = session;
    this.listeners.forEach((listener) => listener());
  }
}

export const sessionStore = new SessionStore(
  typeof window.BroadcastChannel === 'function'
    ? new window.BroadcastChannel('parley:session')
    : undefined,
);

try {
  window.localStorage.removeItem(LEGACY_STORAGE_KEY);
} catch {
  // Storage can be unavailable (privacy modes); there is then nothing to clean up either.
}

export function useSession(): AuthSessionDto | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
