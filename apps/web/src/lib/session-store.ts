import { useSyncExternalStore } from 'react';
import type { AuthSessionDto } from '@parley/contracts';

const STORAGE_KEY = 'parley:session';

type Listener = () => void;

function readSession(storage: Storage): AuthSessionDto | null {
  try {
    const raw = storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<AuthSessionDto> | null;
    // A hand-edited or older entry must not crash the app: treat it as signed out.
    if (
      typeof value?.accessToken !== 'string' ||
      typeof value.user?.id !== 'string' ||
      typeof value.user.username !== 'string'
    ) {
      return null;
    }
    return value as AuthSessionDto;
  } catch {
    return null;
  }
}

/**
 * The signed-in session, persisted in localStorage so a reload keeps you signed in and kept in
 * sync across tabs through the `storage` event. Lives in lib/ because the HTTP client, the socket
 * and the features all read the token.
 */
export class SessionStore {
  private session: AuthSessionDto | null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Storage) {
    this.session = readSession(storage);
  }

  get = (): AuthSessionDto | null => this.session;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(session: AuthSessionDto): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(session));
    this.update(session);
  }

  clear(): void {
    this.storage.removeItem(STORAGE_KEY);
    this.update(null);
  }

  /** Re-reads storage after another tab changed it. */
  syncFromStorage(event: StorageEvent): void {
    if (event.key !== null && event.key !== STORAGE_KEY) return;
    const next = readSession(this.storage);
    if (next?.accessToken !== this.session?.accessToken) this.update(next);
  }

  private update(session: AuthSessionDto | null): void {
    this.session = session;
    this.listeners.forEach((listener) => listener());
  }
}

export const sessionStore = new SessionStore(window.localStorage);
window.addEventListener('storage', (event) => sessionStore.syncFromStorage(event));

export function useSession(): AuthSessionDto | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
