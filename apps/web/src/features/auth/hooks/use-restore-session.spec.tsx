import { renderHook, waitFor } from '@testing-library/react';
import type { UserDto } from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { resetRestoreAttempt, useRestoreSession } from './use-restore-session';

const user: UserDto = {
  id: 'u1',
  username: 'ann',
  displayName: 'Ann',
  registered: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('useRestoreSession', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

  beforeEach(() => {
    global.fetch = fetchMock as typeof fetch;
    fetchMock.mockReset();
    sessionStore.clear();
    resetRestoreAttempt();
  });

  it('opens the app for the user signed in last when the page loads offline', async () => {
    // A reload after Ann signed in: no session in memory, the user remembered in localStorage.
    window.localStorage.setItem('parley:last-user', JSON.stringify(user));
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));

    const { result } = renderHook(() => useRestoreSession());
    await waitFor(() => expect(result.current).toBe('done'));
    expect(sessionStore.get()).toEqual({
      accessToken: '',
      accessTokenExpiresAt: expect.any(String),
      user,
    });
  });

  it('shows the sign-in form when the server says the session is over', async () => {
    window.localStorage.setItem('parley:last-user', JSON.stringify(user));
    fetchMock.mockResolvedValue({
      ok: false,
      status: 401,
      text: () =>
        Promise.resolve(JSON.stringify({ error: { code: 'session_expired', message: 'x' } })),
    } as Response);

    const { result } = renderHook(() => useRestoreSession());
    await waitFor(() => expect(result.current).toBe('done'));
    expect(sessionStore.get()).toBeNull();
  });
});
