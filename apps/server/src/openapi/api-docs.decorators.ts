import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ApiError, ErrorCode, ErrorResponseDto } from '@parley/contracts';
import { statusForCode } from '../common/errors/error-status';
import { ERROR_RESPONSE_SCHEMA } from './contract-schemas';

type ContractClass = abstract new (...args: never[]) => object;

/** A `$ref` to a contract class's generated schema, with an example shown in Swagger UI. */
export function contractSchema(dto: ContractClass, example: unknown, isArray = false) {
  const ref = { $ref: getSchemaPath(dto.name) };
  return isArray ? { type: 'array' as const, items: ref, example } : { allOf: [ref], example };
}

const ERROR_EXAMPLES: Record<ErrorCode, ApiError> = {
  validation_failed: {
    code: 'validation_failed',
    message: 'The request is invalid',
    details: {
      issues: [{ field: 'name', messages: ['name must be longer than or equal to 1 characters'] }],
    },
  },
  unauthorized: { code: 'unauthorized', message: 'A valid bearer token is required' },
  forbidden: { code: 'forbidden', message: 'Forbidden' },
  not_in_room: { code: 'not_in_room', message: 'Join the room before sending to it' },
  not_found: { code: 'not_found', message: 'Cannot GET /api/nothing-here' },
  user_not_found: { code: 'user_not_found', message: 'No user named "ann"' },
  room_not_found: { code: 'room_not_found', message: 'No room with id "k3v9x0q2mz"' },
  username_taken: { code: 'username_taken', message: 'The username "ann" is already taken' },
  payload_too_large: { code: 'payload_too_large', message: 'request entity too large' },
  rate_limited: {
    code: 'rate_limited',
    message: 'Too many requests',
    details: { retryAfterMs: 1000 },
  },
  internal_error: { code: 'internal_error', message: 'Internal server error' },
  unavailable: { code: 'unavailable', message: 'The server is shutting down; try again' },
  not_a_member: { code: 'not_a_member', message: 'Only members of this room may do that' },
  banned: { code: 'banned', message: 'You are banned from this room' },
  member_not_found: { code: 'member_not_found', message: 'That user is not a member' },
  message_not_found: { code: 'message_not_found', message: 'No message with that id in this room' },
  edit_window_closed: {
    code: 'edit_window_closed',
    message: 'Messages in this room can be edited for 15 minutes after sending',
  },
  file_not_found: { code: 'file_not_found', message: 'No file with that id' },
  unsupported_file: { code: 'unsupported_file', message: 'That file cannot be attached here' },
  invite_invalid: { code: 'invite_invalid', message: 'This invite is unknown, revoked or expired' },
  last_owner: { code: 'last_owner', message: 'Hand over ownership first' },
  invalid_credentials: { code: 'invalid_credentials', message: 'Wrong username or password' },
  session_expired: { code: 'session_expired', message: 'The session has ended; sign in again' },
  account_locked: {
    code: 'account_locked',
    message: 'Too many failed sign-ins; try again later',
    details: { retryAfterMs: 900000 },
  },
  weak_password: { code: 'weak_password', message: 'That password is too common' },
  already_registered: {
    code: 'already_registered',
    message: 'This account already has a password',
  },
};

/** Documents the error envelope once per status, listing the codes a client may branch on. */
export function ApiErrors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...codes, 'internal_error' as const]) {
    const status = statusForCode(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, statusCodes]) => {
      const example: ErrorResponseDto = {
        error: ERROR_EXAMPLES[statusCodes[0] ?? 'internal_error'],
      };
      return ApiResponse({
        status,
        description: `Error codes: ${statusCodes.map((code) => `\`${code}\``).join(', ')}`,
        schema: { allOf: [{ $ref: getSchemaPath(ERROR_RESPONSE_SCHEMA) }], example },
      });
    }),
  );
}
