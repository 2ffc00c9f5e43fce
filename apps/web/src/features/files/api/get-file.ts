import { ApiRequestError, parseApiError } from '@/lib/api-error';
import { refreshSession } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export type FileVariant = 'original' | 'thumbnail';

/** `/api/files/{id}` (the file, as an attachment) or `/api/files/{id}/thumbnail` (images). */
export function filePath(fileId: string, variant: FileVariant): string {
  const base = `/api/files/${encodeURIComponent(fileId)}`;
  return variant === 'thumbnail' ? `${base}/thumbnail` : base;
}

function get(path: string, token: string | undefined, signal?: AbortSignal): Promise<Response> {
  const headers = new Headers();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(path, { headers, signal, credentials: 'same-origin' });
}

async function toError(response: Response): Promise<ApiRequestError> {
  let body: unknown;
  try {
    body = (await response.json()) as unknown;
  } catch {
    body = undefined;
  }
  const apiError =
    typeof body === 'object' && body !== null
      ? parseApiError((body as { error?: unknown }).error)
      : undefined;
  return new ApiRequestError(
    apiError ?? {
      code: response.status === 404 ? 'file_not_found' : 'internal_error',
      message: `Request failed with status ${response.status}`,
    },
    response.status,
  );
}

/**
 * A file's bytes, fetched with the session's Bearer token: an `<img src>` or a plain link cannot
 * send one, so images and downloads go through a Blob and an object URL. Downloads are members
 * only, and this keeps the token out of URLs (history, logs, Referer).
 */
export async function getFileBlob(
  fileId: string,
  variant: FileVariant,
  signal?: AbortSignal,
): Promise<Blob> {
  const path = filePath(fileId, variant);
  let response = await get(path, sessionStore.get()?.accessToken, signal);
  if (response.status === 401 && sessionStore.get() !== null) {
    const renewed = await refreshSession();
    if (!renewed) sessionStore.clear();
    else response = await get(path, renewed.accessToken, signal);
  }
  if (!response.ok) throw await toError(response);
  return response.blob();
}
