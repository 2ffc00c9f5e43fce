import type { MeDto, UserDto } from '@parley/contracts';
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

/** The signed-in user's own view, with their settings. */
export function toMeDto(record: UserRecord): MeDto {
  return { ...toUserDto(record), shareReadState: sharesReadState(record) };
}

export function sharesReadState(record: Pick<UserRecord, 'shareReadState'>): boolean {
  return record.shareReadState !== false;
}
