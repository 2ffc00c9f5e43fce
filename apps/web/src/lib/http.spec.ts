import type { AuthSessionDto } from '@parley/contracts';
import { ApiRequestError } from './api-error';
import { refreshSession, request } from './http';
import { sessionStore } from './session-store';

const session: AuthSessionDto = {
  accessToken: 'token-1',
  accessTokenExpiresAt: '2026-01-01T00:15:00.000Z',
  user: {
    id: 'u1',
    username: 'ann',
    displayName: 'Ann',
    registered: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  },
};

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(JSON.stringify(body)),
  } as Response;
}

describe('request', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as typeof fetch;
    sessionStore.clear();
  });

  it('sends JSON with the session bearer token and returns the parsed body', async () => {
    sessionStore.set(session);
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 'abcdefghij' }));

    await expect(request('/rooms', { method: 'POST', body: { name: 'Lobby' } })).resolves.toEqual({
      id: 'abcdefghij',
    });

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/rooms');
    const headers = new Headers(init?.headers);
    expect(headers.get('Authorization')).toBe('Bearer token-1');
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(init?.body).toBe(JSON.stringify({ name: 'Lobby' }));
  });

  it('omits the Authorization header when signed out and skips undefined query values', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, { items: [], nextBefore: null }));
    await request('/rooms/abcdefghij/messages', { query: { before: 10, limit: undefined } });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/rooms/abcdefghij/messages?before=10');
    expect(new Headers(init?.headers).has('Authorization')).toBe(false);
  });

  it('turns an { error } body into an ApiRequestError with code, status and details', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        error: {
          code: 'validation_failed',
          message: 'Invalid payload',
          details: { issues: [{ field: 'name', messages: ['name is too long'] }] },
        },
      }),
    );
    const error: unknown = await request('/rooms', { method: 'POST', body: {} }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ApiRequestError);
    const apiError = error as ApiRequestError;
    expect(apiError.code).toBe('validation_failed');
    expect(apiError.status).toBe(400);
    expect(apiError.fieldMessages('name')).toEqual(['name is too long']);
  });

  it('maps a network failure to a typed error too', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(request('/rooms')).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('maps a 401 without a JSON body to unauthorized', async () => {
    fetchMock.mockResolvedValue({
      ok: false,
      status: 401,
      text: () => Promise.resolve(''),
    } as Response);
    await expect(request('/users/me')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
  });

  describe('when the access token has expired', () => {
    const renewed: AuthSessionDto = { ...session, accessToken: 'token-2' };
    const expired = () =>
      jsonResponse(401, {
        error: { code: 'unauthorized', message: 'A valid bearer token is required' },
      });

    function respond(routes: (url: string, token: string | null) => Response | Promise<Response>) {
      fetchMock.mockImplementation((input, init) =>
        Promise.resolve(
          routes(
            typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
            new Headers(init?.headers).get('Authorization')?.replace('Bearer ', '') ?? null,
          ),
        ),
      );
    }

    it('refreshes once for concurrent 401s, then retries each request with the new token', async () => {
      sessionStore.set(session);
      let releaseRefresh!: () => void;
      const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
      let expiredAnswers = 0;
      let allExpired!: () => void;
      const allThreeExpired = new Promise<void>((resolve) => (allExpired = resolve));
      respond((url, token) => {
        if (url === '/api/auth/refresh') return refreshGate.then(() => jsonResponse(200, renewed));
        if (token === 'token-2') return jsonResponse(200, { url });
        expiredAnswers += 1;
        if (expiredAnswers === 3) allExpired();
        return expired();
      });

      const results = Promise.all([request('/rooms'), request('/users/me'), request('/rooms/a')]);
      // All three must have met their 401 before the one refresh answers.
      await allThreeExpired;
      releaseRefresh();

      await expect(results).resolves.toEqual([
        { url: '/api/rooms' },
        { url: '/api/users/me' },
        { url: '/api/rooms/a' },
      ]);
      const refreshCalls = fetchMock.mock.calls.filter(([url]) => url === '/api/auth/refresh');
      expect(refreshCalls).toHaveLength(1);
      expect(refreshCalls[0]?.[1]).toMatchObject({ method: 'POST', credentials: 'same-origin' });
      expect(sessionStore.get()).toEqual(renewed);
    });

    it('retries only once: a second 401 is the caller’s error', async () => {
      sessionStore.set(session);
      respond((url) => (url === '/api/auth/refresh' ? jsonResponse(200, renewed) : expired()));
      await expect(request('/rooms')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
      expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
        '/api/rooms',
        '/api/auth/refresh',
        '/api/rooms',
      ]);
    });

    it('signs out when the refresh cookie is no longer valid', async () => {
      sessionStore.set(session);
      respond((url) =>
        url === '/api/auth/refresh'
          ? jsonResponse(401, { error: { code: 'session_expired', message: 'Sign in again' } })
          : expired(),
      );
      await expect(request('/rooms')).rejects.toMatchObject({ code: 'unauthorized' });
      expect(sessionStore.get()).toBeNull();
    });

    it('keeps the session when the refresh cannot reach the server', async () => {
      sessionStore.set(session);
      fetchMock.mockImplementation((input) =>
        input === '/api/auth/refresh'
          ? Promise.reject(new TypeError('Failed to fetch'))
          : Promise.resolve(expired()),
      );
      const error: unknown = await request('/rooms').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'internal_error', status: undefined });
      expect(sessionStore.get()).toEqual(session);
    });

    it('renews a session that started offline without a token, then retries', async () => {
      sessionStore.set({ ...session, accessToken: '' });
      respond((url, token) => {
        if (url === '/api/auth/refresh') return jsonResponse(200, renewed);
        if (token === 'token-2') return jsonResponse(200, { url });
        return expired();
      });
      await expect(request('/users/me')).resolves.toEqual({ url: '/api/users/me' });
      expect(sessionStore.get()).toEqual(renewed);
    });

    it('does not refresh for a 401 that is not about the token, or without a session', async () => {
      respond(() =>
        jsonResponse(401, {
          error: { code: 'invalid_credentials', message: 'Wrong username or password' },
        }),
      );
      await expect(
        request('/auth/login', { method: 'POST', body: { username: 'ann', password: 'x' } }),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
      expect(fetchMock).toHaveBeenCalledTimes(1);
    });
  });

  describe('refreshSession', () => {
    it('stores the renewed session, and resolves null without a valid cookie', async () => {
      fetchMock.mockResolvedValueOnce(jsonResponse(200, session));
      await expect(refreshSession()).resolves.toEqual(session);
      expect(sessionStore.get()).toEqual(session);

      fetchMock.mockResolvedValueOnce(
        jsonResponse(401, { error: { code: 'session_expired', message: 'Sign in again' } }),
      );
      await expect(refreshSession()).resolves.toBeNull();
    });
  });
});
