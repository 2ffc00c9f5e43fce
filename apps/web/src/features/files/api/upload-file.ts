import { UPLOAD_FIELD, type FileDto } from '@parley/contracts';
import { ApiRequestError, parseApiError } from '@/lib/api-error';
import { refreshSession } from '@/lib/http';
import { sessionStore } from '@/lib/session-store';

export interface UploadProgress {
  /** Bytes sent so far. */
  loaded: number;
  /** Bytes to send (the request body, a little more than the file). */
  total: number;
}

export interface UploadHandle {
  /** The stored file; rejects with `UploadCanceledError` after `abort`, else `ApiRequestError`. */
  promise: Promise<FileDto>;
  /** Stops the transfer (the request is aborted, so the server stops reading it). */
  abort(): void;
}

export interface UploadOptions {
  onProgress?: (progress: UploadProgress) => void;
  /** For tests: the request object (the browser's `XMLHttpRequest` by default). */
  createRequest?: () => XMLHttpRequest;
}

export class UploadCanceledError extends Error {
  override readonly name = 'UploadCanceledError';
  constructor() {
    super('Upload canceled');
  }
}

export function isUploadCanceled(error: unknown): error is UploadCanceledError {
  return error instanceof UploadCanceledError;
}

interface Answer {
  status: number;
  body: unknown;
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toError({ status, body }: Answer): ApiRequestError {
  const apiError =
    typeof body === 'object' && body !== null
      ? parseApiError((body as { error?: unknown }).error)
      : undefined;
  if (apiError) return new ApiRequestError(apiError, status);
  // A proxy in front of the server may answer 413 itself, without Parley's error body.
  if (status === 413) {
    return new ApiRequestError({ code: 'payload_too_large', message: 'File too large' }, 413);
  }
  return new ApiRequestError(
    {
      code: status === 401 ? 'unauthorized' : 'internal_error',
      message: `Upload failed with status ${status}`,
    },
    status,
  );
}

/**
 * `POST /api/rooms/{id}/files` (multipart, field `file`) with the session's Bearer token, like
 * `request` in lib/http.ts, but through XMLHttpRequest: `fetch` reports no upload progress. An
 * expired token is renewed once and the upload started again.
 */
export function uploadFile(roomId: string, file: File, options: UploadOptions = {}): UploadHandle {
  const createRequest = options.createRequest ?? (() => new XMLHttpRequest());
  let current: XMLHttpRequest | undefined;
  let canceled = false;

  const attempt = (token: string | undefined): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const xhr = createRequest();
      current = xhr;
      xhr.open('POST', `/api/rooms/${encodeURIComponent(roomId)}/files`);
      xhr.setRequestHeader('Accept', 'application/json');
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) {
          options.onProgress?.({ loaded: event.loaded, total: event.total });
        }
      });
      xhr.addEventListener('load', () =>
        resolve({ status: xhr.status, body: parseBody(xhr.responseText) }),
      );
      xhr.addEventListener('abort', () => reject(new UploadCanceledError()));
      xhr.addEventListener('error', () =>
        reject(
          new ApiRequestError({
            code: 'internal_error',
            message: 'Could not reach the server. Check your connection.',
          }),
        ),
      );
      const form = new FormData();
      form.append(UPLOAD_FIELD, file, file.name);
      xhr.send(form);
    });

  const run = async (): Promise<FileDto> => {
    let answer = await attempt(sessionStore.get()?.accessToken);
    if (answer.status === 401 && sessionStore.get() !== null && !canceled) {
      const renewed = await refreshSession();
      if (!renewed) sessionStore.clear();
      else if (canceled) throw new UploadCanceledError();
      else answer = await attempt(renewed.accessToken);
    }
    if (answer.status < 200 || answer.status >= 300) throw toError(answer);
    return answer.body as FileDto;
  };

  return {
    promise: run(),
    abort: () => {
      canceled = true;
      current?.abort();
    },
  };
}
