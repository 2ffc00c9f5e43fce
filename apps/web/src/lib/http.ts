import { ApiRequestError, parseApiError } from './api-error';
import { sessionStore } from './session-store';

type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
}

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

/**
 * Fetches `/api{path}` with the session's Bearer token. Resolves with the parsed JSON body, which
 * the caller types with the contract class the route returns; every failure becomes an
 * `ApiRequestError` so callers branch on `code` alone.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' });
  const token = sessionStore.get()?.accessToken;
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (options.body !== undefined) headers.set('Content-Type', 'application/json');

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiRequestError({
      code: 'internal_error',
      message: 'Could not reach the server. Check your connection.',
    });
  }

  const body = await readJson(response);
  if (!response.ok) {
    const apiError =
      typeof body === 'object' && body !== null
        ? parseApiError((body as { error?: unknown }).error)
        : undefined;
    throw new ApiRequestError(
      apiError ?? {
        code: response.status === 401 ? 'unauthorized' : 'internal_error',
        message: `Request failed with status ${response.status}`,
      },
      response.status,
    );
  }
  return body as T;
}
