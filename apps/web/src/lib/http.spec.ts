import type { AuthSessionDto } from '@parley/contracts';
import { ApiRequestError } from './api-error';
import { request } from './http';
import { sessionStore } from './session-store';

const session: AuthSessionDto = {
  accessToken: 'token-1',
  user: { id: 'u1', username: 'ann', displayName: 'Ann', createdAt: '2026-01-01T00:00:00.000Z' },
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
});
