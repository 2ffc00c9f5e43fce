import type { UserDto } from '@parley/contracts';
import type { UserRecord } from './user.schema';

export function toUserDto(record: UserRecord): UserDto {
  return {
    id: record._id.toHexString(),
    username: record.username,
    displayName: record.displayName,
    registered: typeof record.passwordHash === 'string',
    createdAt: record.createdAt.toISOString(),
  };
}
