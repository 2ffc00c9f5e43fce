import type { AuthSessionDto } from '@parley/contracts';
import { ApiRequestError, parseApiError } from './api-error';
import { sessionStore } from './session-store';

type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

export const REFRESH_PATH = '/auth/refresh';

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return `/api${path}${search ? `?${search}` : ''}`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toError(response: Response, body: unknown): ApiRequestError {
  const apiError =
    typeof body === 'object' && body !== null
      ? parseApiError((body as { error?: unknown }).error)
      : undefined;
  return new ApiRequestError(
    apiError ?? {
      code: response.status === 401 ? 'unauthorized' : 'internal_error',
      message: `Request failed with status ${response.status}`,
    },
    response.status,
  );
}

async function send(path: string, options: RequestOptions, token: string | undefined) {
  const headers = new Headers({ Accept: 'application/json' });
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      // The refresh cookie is same-origin and scoped to /api/auth; say so explicitly.
      credentials: 'same-origin',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiRequestError({
      code: 'internal_error',
      message: 'Could not reach the server. Check your connection.',
    });
  }
  return { response, body: await readJson(response) };
}

/**
 * Fetches `/api{path}` with the session's Bearer token. Resolves with the parsed JSON body, which
 * the caller types with the contract class the route returns; every failure becomes an
 * `ApiRequestError` so callers branch on `code` alone. An expired access token (401
 * `unauthorized`) is renewed once through the refresh cookie and the request retried once; if
 * that fails the session is over and the store is cleared.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const token = sessionStore.get()?.accessToken;
  let { response, body } = await send(path, options, token);
  // Signed in (also without a token yet, after an offline start), a 401 means "renew".
  const signedIn = sessionStore.get() !== null;
  if (response.status === 401 && signedIn && toError(response, body).code === 'unauthorized') {
    // A refresh that could not be made (network, server error) rejects with its own error: the
    // session may well be fine, so it must not end in a 401 that signs the user out.
    const renewed = await refreshSession();
    if (!renewed) sessionStore.clear();
    else ({ response, body } = await send(path, options, renewed.accessToken));
  }
  if (!response.ok) throw toError(response, body);
  return body as T;
}

let inFlight: Promise<AuthSessionDto | null> | undefined;

/**
 * Exchanges the refresh cookie for a new session and stores it. Single-flight: concurrent callers
 * (several queries that all hit 401, the socket, page load) share one request, because every
 * refresh rotates the cookie and a second request with the old one would look like token theft and
 * end the session. Across tabs the Web Locks API serializes refreshes for the same reason.
 * Resolves `null` when there is no session to renew; rejects when the server cannot be reached.
 */
export function refreshSession(): Promise<AuthSessionDto | null> {
  inFlight ??= withRefreshLock(async () => {
    const { response, body } = await send(REFRESH_PATH, { method: 'POST' }, undefined);
    if (response.ok) {
      const session = body as AuthSessionDto;
      sessionStore.set(session);
      return session;
    }
    if (response.status === 401) return null;
    throw toError(response, body);
  }).finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}

function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request('parley:refresh', task) : task();
}
