import { ROOM_MENTION } from '@parley/contracts';
import { AppException } from '../common/errors/app-exception';

/** Names that mean something else in a message (`@room` notifies every member): nobody has them. */
const RESERVED_USERNAMES: ReadonlySet<string> = new Set([ROOM_MENTION]);

export function isReservedUsername(username: string): boolean {
  return RESERVED_USERNAMES.has(username.toLowerCase());
}

/** `validation_failed` on `username`, like any other invalid name. */
export function assertUsernameAllowed(username: string): void {
  if (!isReservedUsername(username)) return;
  throw new AppException('validation_failed', `The username "${username}" is reserved`, {
    issues: [{ field: 'username', messages: [`username "${username}" is reserved`] }],
  });
}
