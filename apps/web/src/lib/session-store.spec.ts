import type { AuthSessionDto } from '@parley/contracts';
import { type SessionChannel, SessionStore } from './session-store';

const session: AuthSessionDto = {
  accessToken: 'token-1',
  accessTokenExpiresAt: '2026-01-01T00:15:00.000Z',
  user: {
    id: 'u1',
    username: 'ann',
    displayName: 'Ann',
    registered: true,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};

/** Two tabs' channels, wired to each other like a real BroadcastChannel pair. */
function channelPair(): [SessionChannel, SessionChannel] {
  const listeners: ((event: MessageEvent) => void)[][] = [[], []];
  const channel = (self: number, other: number): SessionChannel => ({
    postMessage: (data) =>
      listeners[other]?.forEach((listener) => listener({ data } as MessageEvent)),
    addEventListener: (_type, listener) => listeners[self]?.push(listener),
  });
  return [channel(0, 1), channel(1, 0)];
}

describe('SessionStore', () => {
  it('keeps the session in memory and never in localStorage', () => {
    const store = new SessionStore();
    const listener = jest.fn();
    store.subscribe(listener);
    store.set(session);
    expect(store.get()).toEqual(session);
    expect(JSON.stringify(window.localStorage)).not.toContain('token-1');
    store.clear();
    expect(store.get()).toBeNull();
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('signs the other tabs out when one tab signs out', () => {
    const [first, second] = channelPair();
    const tabA = new SessionStore(first);
    const tabB = new SessionStore(second);
    tabA.set(session);
    tabB.set({ ...session, accessToken: 'token-2' });
    tabA.clear();
    expect(tabB.get()).toBeNull();
  });

  it('remembers who signed in last, without the token, to open the app for them offline', () => {
    const storage = window.localStorage;
    const store = new SessionStore(undefined, storage);
    store.set(session);
    expect(JSON.stringify(storage)).not.toContain('token-1');

    // A reload without network: the page has no session, the remembered user opens the app.
    const reloaded = new SessionStore(undefined, storage);
    expect(reloaded.resumeOffline()).toBe(true);
    expect(reloaded.get()).toEqual({
      ...session,
      accessToken: '',
      accessTokenExpiresAt: expect.any(String),
    });

    // Signing out forgets them: the next offline start shows the sign-in form.
    reloaded.clear();
    const afterSignOut = new SessionStore(undefined, storage);
    expect(afterSignOut.resumeOffline()).toBe(false);
    expect(afterSignOut.get()).toBeNull();
  });

  it('ignores a remembered user it cannot read', () => {
    window.localStorage.setItem('parley:last-user', '{"id":42}');
    expect(new SessionStore(undefined, window.localStorage).resumeOffline()).toBe(false);
  });
});
