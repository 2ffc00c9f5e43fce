import { useSyncExternalStore } from 'react';
import type { AuthSessionDto, UserDto } from '@parley/contracts';

/** Where earlier versions kept the whole session, long-lived token included. */
const LEGACY_STORAGE_KEY = 'parley:session';
/** Who was signed in last (never a token): the app opens for them when it starts offline. */
const LAST_USER_KEY = 'parley:last-user';
const SIGNED_OUT_MESSAGE = 'signed-out';

/** The slice of `BroadcastChannel` the store uses, so tests can pass a fake. */
export interface SessionChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

type Listener = () => void;

function parseUser(raw: string | null): UserDto | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<Record<keyof UserDto, unknown>> | null;
    if (
      typeof value?.id === 'string' &&
      typeof value.username === 'string' &&
      typeof value.displayName === 'string' &&
      typeof value.registered === 'boolean' &&
      typeof value.createdAt === 'string'
    ) {
      const { id, username, displayName, registered, createdAt } = value;
      return { id, username, displayName, registered, createdAt };
    }
  } catch {
    // Written by hand or by another version: as good as nothing.
  }
  return null;
}

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

  constructor(
    private readonly channel?: SessionChannel,
    private readonly storage: Storage | undefined = safeLocalStorage(),
  ) {
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
    this.remember(session.user);
    this.update(session);
  }

  clear(): void {
    const wasSignedIn = this.session !== null;
    this.remember(null);
    this.update(null);
    if (wasSignedIn) this.channel?.postMessage(SIGNED_OUT_MESSAGE);
  }

  /**
   * The page loaded but the server could not be reached to renew the session (offline): open the
   * app for the user signed in last, without an access token, so their unsent messages stay in
   * view. The first request or handshake that needs a token renews it through the refresh cookie
   * once the network is back; if the session has ended by then, that signs out as usual.
   * Returns whether there was such a user.
   */
  resumeOffline(): boolean {
    if (this.session) return true;
    const user = parseUser(this.read(LAST_USER_KEY));
    if (!user) return false;
    this.update({ accessToken: '', accessTokenExpiresAt: new Date(0).toISOString(), user });
    return true;
  }

  private remember(user: UserDto | null): void {
    try {
      if (user) this.storage?.setItem(LAST_USER_KEY, JSON.stringify(user));
      else this.storage?.removeItem(LAST_USER_KEY);
    } catch {
      // Storage full or disabled: only the offline start is lost.
    }
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private update(session: AuthSessionDto | null): void {
    this.session = session;
    this.listeners.forEach((listener) => listener());
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Storage can be unavailable (privacy modes).
    return undefined;
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
