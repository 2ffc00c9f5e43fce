import {
  isErrorCode,
  type ApiError,
  type ApiErrorDetails,
  type ErrorCode,
} from '@parley/contracts';

/**
 * The one error type the web client throws for a failed REST call or socket acknowledgement.
 * Callers branch on `code`; `message` is for people.
 */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  readonly code: ErrorCode;
  readonly details: ApiErrorDetails | undefined;
  /** HTTP status for REST failures; undefined for socket acknowledgements and network failures. */
  readonly status: number | undefined;

  constructor(error: ApiError, status?: number) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
    this.status = status;
  }

  /** Messages for one field of a `validation_failed` error, as the contracts' validators word them. */
  fieldMessages(field: string): string[] {
    return (this.details?.issues ?? [])
      .filter((issue) => issue.field === field)
      .flatMap((issue) => issue.messages);
  }
}

export function isApiRequestError(error: unknown): error is ApiRequestError {
  return error instanceof ApiRequestError;
}

/** Reads an `ApiError` out of untrusted JSON; anything malformed becomes `undefined`. */
export function parseApiError(value: unknown): ApiError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { code, message, details } = value as Record<string, unknown>;
  if (!isErrorCode(code)) return undefined;
  return {
    code,
    message: typeof message === 'string' ? message : code,
    details: typeof details === 'object' && details !== null ? details : undefined,
  };
}

/** Human wording for the codes a person can act on; falls back to the server's message. */
export function describeError(error: unknown): string {
  if (!isApiRequestError(error)) {
    return error instanceof Error ? error.message : 'Something went wrong.';
  }
  switch (error.code) {
    case 'rate_limited':
      return 'You are sending too fast. Wait a moment and try again.';
    case 'unauthorized':
      return 'Your session has expired. Sign in again.';
    case 'room_not_found':
      return 'That room does not exist.';
    case 'username_taken':
      return 'That username is taken. Pick another one.';
    case 'payload_too_large':
      return 'That message is too long.';
    default:
      return error.message;
  }
}
