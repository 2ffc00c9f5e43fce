import type {
  DirectPeerDto,
  InviteDto,
  MessagePreviewDto,
  NotifyLevel,
  PresenceDto,
  RoomBanDto,
  RoomDto,
  RoomKind,
  RoomMemberDto,
  RoomViewDto,
} from '@parley/contracts';
import type { InviteRecord } from './invite.schema';
import type { MembershipRecord } from './membership.schema';
import type { RoomBanRecord } from './room-ban.schema';
import { kindOf, type RoomLastMessage, type RoomRecord } from './room.schema';

/** The viewer's own membership fields a room view shows; `undefined` for a non-member. */
export type ViewerMembership = Pick<MembershipRecord, 'role' | 'readSeq' | 'notify'> | undefined;

/** What someone never seen connected looks like (also when presence cannot be read). */
export const UNKNOWN_PRESENCE: PresenceDto = { status: 'offline', lastSeenAt: null };

export function toRoomDto(record: RoomRecord): RoomDto {
  return {
    id: record._id,
    name: record.name,
    kind: kindOf(record),
    topic: record.topic ? record.topic : null,
    editWindowSeconds: record.editWindowSeconds ?? null,
    createdBy: record.createdBy.toHexString(),
    lastSeq: record.lastSeq,
    lastMessage: record.lastMessage ? toMessagePreviewDto(record.lastMessage) : null,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toMessagePreviewDto(record: RoomLastMessage): MessagePreviewDto {
  return {
    seq: record.seq,
    sender: {
      id: record.sender.toHexString(),
      username: record.senderUsername,
      displayName: record.senderDisplayName,
    },
    excerpt: record.excerpt,
    createdAt: record.createdAt.toISOString(),
  };
}

/**
 * The one shape every producer of a room view goes through (lists, get, create, join, DMs,
 * invites, `room_added`); `peer` is the other person of a direct room, `null` otherwise.
 */
export function toRoomViewDto(
  record: RoomRecord,
  membership: ViewerMembership,
  peer: DirectPeerDto | null,
): RoomViewDto {
  const kind = kindOf(record);
  const readSeq = membership?.readSeq ?? 0;
  return {
    ...toRoomDto(record),
    // The cursor never passes the newest message, but the coalesced summary may trail it (by up
    // to a second in a busy room): what the viewer has read exists, so unread is never negative.
    lastSeq: Math.max(record.lastSeq, readSeq),
    role: membership?.role ?? null,
    readSeq,
    notify: notifyLevelOf(kind, membership),
    peer: kind === 'direct' ? peer : null,
  };
}

/** A chosen level, or the kind's default: every message of a DM, only mentions elsewhere. */
export function notifyLevelOf(kind: RoomKind, membership: ViewerMembership): NotifyLevel {
  return membership?.notify ?? (kind === 'direct' ? 'all' : 'mentions');
}

/** `readSeq`: the member's cursor where others may see it, else `null` (see `RoomMemberDto`). */
export function toRoomMemberDto(
  record: MembershipRecord,
  presence: PresenceDto,
  readSeq: number | null,
): RoomMemberDto {
  return {
    user: {
      id: record.user.toHexString(),
      username: record.username,
      displayName: record.displayName,
    },
    role: record.role,
    joinedAt: record.joinedAt.toISOString(),
    presence,
    readSeq,
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
