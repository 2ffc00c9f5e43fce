import { HttpException, HttpStatus } from '@nestjs/common';
import type { ApiError, ErrorCode } from '@parley/contracts';
import { AppException } from './app-exception';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: HttpStatus.BAD_REQUEST,
  unauthorized: HttpStatus.UNAUTHORIZED,
  forbidden: HttpStatus.FORBIDDEN,
  not_in_room: HttpStatus.FORBIDDEN,
  not_found: HttpStatus.NOT_FOUND,
  user_not_found: HttpStatus.NOT_FOUND,
  room_not_found: HttpStatus.NOT_FOUND,
  username_taken: HttpStatus.CONFLICT,
  payload_too_large: HttpStatus.PAYLOAD_TOO_LARGE,
  rate_limited: HttpStatus.TOO_MANY_REQUESTS,
  internal_error: HttpStatus.INTERNAL_SERVER_ERROR,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  not_a_member: HttpStatus.FORBIDDEN,
  banned: HttpStatus.FORBIDDEN,
  member_not_found: HttpStatus.NOT_FOUND,
  // Unknown, revoked and expired invites look the same, so codes cannot be probed for state.
  invite_invalid: HttpStatus.NOT_FOUND,
  last_owner: HttpStatus.CONFLICT,
  message_not_found: HttpStatus.NOT_FOUND,
  edit_window_closed: HttpStatus.FORBIDDEN,
  file_not_found: HttpStatus.NOT_FOUND,
  unsupported_file: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  invalid_credentials: HttpStatus.UNAUTHORIZED,
  session_expired: HttpStatus.UNAUTHORIZED,
  // A lockout throttles one account: the same status as `rate_limited`, with `retryAfterMs`.
  account_locked: HttpStatus.TOO_MANY_REQUESTS,
  weak_password: HttpStatus.BAD_REQUEST,
  already_registered: HttpStatus.CONFLICT,
};

export interface TranslatedError {
  status: number;
  error: ApiError;
  /** True when the error was not anticipated and must be logged with its stack. */
  unexpected: boolean;
}

export const INTERNAL_ERROR: ApiError = {
  code: 'internal_error',
  message: 'Internal server error',
};

export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code];
}

/**
 * Turns anything thrown into the public error vocabulary. Framework and middleware errors (unknown
 * route, malformed JSON, oversized body) arrive as HttpExceptions or http-errors objects carrying a
 * status; anything else is a bug and is reported without its message so internals never leak.
 */
export function translateError(thrown: unknown): TranslatedError {
  if (thrown instanceof AppException) {
    return { status: statusForCode(thrown.code), error: thrown.toApiError(), unexpected: false };
  }
  const status = statusOf(thrown);
  if (status === undefined || status >= 500) {
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, error: INTERNAL_ERROR, unexpected: true };
  }
  return {
    status,
    error: { code: codeForStatus(status), message: messageOf(thrown) },
    unexpected: false,
  };
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 429:
      return 'rate_limited';
    default:
      // The remaining 4xx (malformed JSON, unsupported media type, …) are all "fix your request".
      return 'validation_failed';
  }
}

function statusOf(thrown: unknown): number | undefined {
  if (thrown instanceof HttpException) return thrown.getStatus();
  if (typeof thrown === 'object' && thrown !== null) {
    const candidate =
      'statusCode' in thrown ? thrown.statusCode : 'status' in thrown ? thrown.status : undefined;
    if (typeof candidate === 'number' && candidate >= 400 && candidate <= 599) return candidate;
  }
  return undefined;
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error && thrown.message ? thrown.message : 'Request failed';
}
