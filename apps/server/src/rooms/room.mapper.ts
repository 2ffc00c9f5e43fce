import type {
  InviteDto,
  RoomBanDto,
  RoomDto,
  RoomMemberDto,
  RoomRole,
  RoomViewDto,
} from '@parley/contracts';
import type { InviteRecord } from './invite.schema';
import type { MembershipRecord } from './membership.schema';
import type { RoomBanRecord } from './room-ban.schema';
import { kindOf, type RoomRecord } from './room.schema';

export function toRoomDto(record: RoomRecord): RoomDto {
  return {
    id: record._id,
    name: record.name,
    kind: kindOf(record),
    topic: record.topic ? record.topic : null,
    createdBy: record.createdBy.toHexString(),
    lastSeq: record.lastSeq,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toRoomViewDto(record: RoomRecord, role: RoomRole | null): RoomViewDto {
  return { ...toRoomDto(record), role };
}

export function toRoomMemberDto(record: MembershipRecord): RoomMemberDto {
  return {
    user: {
      id: record.user.toHexString(),
      username: record.username,
      displayName: record.displayName,
    },
    role: record.role,
    joinedAt: record.joinedAt.toISOString(),
  };
}

export function toRoomBanDto(record: RoomBanRecord): RoomBanDto {
  return {
    user: {
      id: record.user.toHexString(),
      username: record.username,
      displayName: record.displayName,
    },
    bannedBy: record.bannedBy.toHexString(),
    createdAt: record.createdAt.toISOString(),
  };
}

export function toInviteDto(record: InviteRecord): InviteDto {
  return {
    code: record._id,
    room: record.room,
    createdBy: record.createdBy.toHexString(),
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt ? record.expiresAt.toISOString() : null,
  };
}
