// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator';

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
  // The server is shutting down or overloaded: retry, possibly on another instance.
  'unavailable',
  // Rooms and roles.
  'not_a_member',
  'banned',
  'member_not_found',
  'invite_invalid',
  'last_owner',
  // Messages and files.
  'message_not_found',
  'edit_window_closed',
  'file_not_found',
  'unsupported_file',
  // Accounts and sessions.
  'invalid_credentials',
  'account_locked',
  'weak_password',
  'session_expired',
  'already_registered',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field's problems, e.g. `{ field: 'content', messages: ['content must be …'] }`. */
export class ValidationIssueDto {
  /** Dotted path of the offending field, e.g. `content` or `sender.username`. */
  @IsString()
  field!: string;

  @IsArray()
  @IsString({ each: true })
  messages!: string[];
}

export class ApiErrorDetailsDto {
  /** Present with `validation_failed`. */
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ValidationIssueDto)
  issues?: ValidationIssueDto[];

  /** Present with `rate_limited` and `account_locked`: when to try again. */
  @IsOptional()
  @IsInt()
  @Min(0)
  retryAfterMs?: number;
}

export class ApiErrorDto {
  @IsIn(ERROR_CODES)
  code!: ErrorCode;

  /** For people; clients branch on `code`. */
  @IsString()
  message!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ApiErrorDetailsDto)
  details?: ApiErrorDetailsDto;
}

/** Every REST error body: `{ "error": { code, message, details? } }`. */
export class ErrorResponseDto {
  @ValidateNested()
  @Type(() => ApiErrorDto)
  error!: ApiErrorDto;
}

export type ValidationIssue = ValidationIssueDto;
export type ApiErrorDetails = ApiErrorDetailsDto;
export type ApiError = ApiErrorDto;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
