import { MAX_UPLOAD_BYTES_DEFAULT } from '@parley/contracts';
import { describeError, isApiRequestError } from '@/lib/api-error';

/**
 * Wording for a failed upload. The server's limit is configurable but not published, so "max"
 * names the default; the server's own message says more when it differs.
 */
export function describeUploadError(error: unknown): string {
  if (isApiRequestError(error)) {
    if (error.status === 413 || error.code === 'payload_too_large') {
      return `File too large (max ${Math.round(MAX_UPLOAD_BYTES_DEFAULT / 1024 / 1024)} MB)`;
    }
    if (error.code === 'unsupported_file') return 'This kind of file cannot be sent.';
    if (error.code === 'not_a_member' || error.code === 'not_in_room') {
      return 'Join the room to send files.';
    }
  }
  return describeError(error);
}
