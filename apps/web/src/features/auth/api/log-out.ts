import { request } from '@/lib/http';

/** Revokes the refresh cookie's session on the server and clears the cookie. */
export function logOut(signal?: AbortSignal): Promise<void> {
  return request<void>('/auth/logout', { method: 'POST', signal });
}
