import type { ApiError, ApiErrorDetails, ErrorCode } from '@parley/contracts';

/**
 * The one exception type the server throws on purpose. The HTTP filter and the socket ack mapping
 * translate it; nothing else needs to know about status codes.
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = 'AppException';
  }

  toApiError(): ApiError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}
