import { IsArray, IsIn, IsOptional, IsString } from 'class-validator';

/** Every error code a client may branch on. Clients must never parse `message`. */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'user_not_found',
  'room_not_found',
  'username_taken',
  'not_in_room',
  'payload_too_large',
  'rate_limited',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `content` or `sender.username`. */
  field: string;
  messages: string[];
}

export interface ApiErrorDetails {
  issues?: ValidationIssue[];
  retryAfterMs?: number;
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  details?: ApiErrorDetails;
}

/** REST error body (`{ error: {...} }`), documented in Swagger for every route. */
export class ApiErrorBodyDto {
  @IsIn(ERROR_CODES)
  code!: ErrorCode;

  @IsString()
  message!: string;

  @IsOptional()
  @IsArray()
  issues?: ValidationIssue[];
}

export class ErrorResponseDto {
  error!: ApiError;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
