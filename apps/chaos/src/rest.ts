import {
  MESSAGE_PAGE_MAX,
  type AuthSessionDto,
  type MessageDto,
  type MessagePageDto,
  type RoomDto,
} from '@parley/contracts';

async function request<T>(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  token?: string,
  body?: object,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export function signInGuest(baseUrl: string, username: string): Promise<AuthSessionDto> {
  return request(baseUrl, 'POST', '/api/auth/guest', undefined, { username });
}

export function createPublicRoom(baseUrl: string, token: string, name: string): Promise<RoomDto> {
  return request(baseUrl, 'POST', '/api/rooms', token, { name, kind: 'public' });
}

/** A room's whole history over REST, oldest first, paging backwards with `before`. */
export async function fetchHistory(
  baseUrl: string,
  token: string,
  room: string,
): Promise<MessageDto[]> {
  const pages: MessageDto[][] = [];
  let before: number | null | undefined;
  do {
    const query = new URLSearchParams({ limit: String(MESSAGE_PAGE_MAX) });
    if (before) query.set('before', String(before));
    const page = await request<MessagePageDto>(
      baseUrl,
      'GET',
      `/api/rooms/${room}/messages?${query.toString()}`,
      token,
    );
    pages.unshift(page.items);
    before = page.nextBefore;
  } while (before);
  return pages.flat();
}
