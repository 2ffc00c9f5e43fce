// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { Trim } from '../common/transforms';
import { PresenceDto } from '../users/presence.dto';
import { USERNAME_PATTERN } from '../users/user.dto';

/** Room ids are short, shareable and case-sensitive-safe: 10 characters of 0–9 and a–z. */
export const ROOM_ID_PATTERN = /^[0-9a-z]{10}$/;
export const ROOM_NAME_MAX_LENGTH = 80;
export const ROOM_TOPIC_MAX_LENGTH = 300;
export const EDIT_WINDOW_MAX_SECONDS = 7 * 24 * 3600;
/** User ids are MongoDB ObjectIds: 24 hex characters. */
export const USER_ID_PATTERN = /^[0-9a-f]{24}$/;
/** Invite codes: 16 characters of 0–9 and a–z (~82 bits). */
export const INVITE_CODE_PATTERN = /^[0-9a-z]{16}$/;
/** Longest an invite may live: 30 days. */
export const INVITE_MAX_TTL_SECONDS = 30 * 24 * 3600;

/**
 * `public`: listed, anyone signed in may join. `private`: unlisted, joined through an invite.
 * `direct`: exactly two users, created by `POST /api/dms`.
 */
export const ROOM_KINDS = ['public', 'private', 'direct'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
/** The kinds a user may create through `POST /api/rooms`. */
export const CREATABLE_ROOM_KINDS = ['public', 'private'] as const;
export type CreatableRoomKind = (typeof CREATABLE_ROOM_KINDS)[number];

export const ROOM_ROLES = ['owner', 'moderator', 'member'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

const roomIdMessage = { message: 'id must be a room id (10 characters of 0–9, a–z)' };

export class CreateRoomDto {
  /** 1–80 characters after trimming. */
  @Trim()
  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name!: string;

  /** Default `public`. */
  @IsOptional()
  @IsIn(CREATABLE_ROOM_KINDS)
  kind?: CreatableRoomKind;
}

/** Owners and moderators: rename and/or set the topic (an empty topic clears it). */
export class UpdateRoomDto {
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name?: string;

  @IsOptional()
  @Trim()
  @IsString()
  @Length(0, ROOM_TOPIC_MAX_LENGTH)
  topic?: string;

  /** Seconds (1 minute – 7 days) authors may edit their messages; `null` removes the limit. */
  @IsOptional()
  @ValidateIf((_input: unknown, value: unknown) => value !== null)
  @IsInt()
  @Min(60)
  @Max(EDIT_WINDOW_MAX_SECONDS)
  editWindowSeconds?: number | null;
}

export class RoomIdParamDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  id!: string;
}

export class RoomMemberParamDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  id!: string;

  @Matches(USER_ID_PATTERN, { message: 'userId must be a user id (24 hex characters)' })
  userId!: string;
}

export class RoomInviteParamDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  id!: string;

  @Matches(INVITE_CODE_PATTERN, { message: 'code must be an invite code' })
  code!: string;
}

export class InviteCodeParamDto {
  @Matches(INVITE_CODE_PATTERN, { message: 'code must be an invite code' })
  code!: string;
}

/**
 * Per member and room: which messages raise a desktop notification while the tab is hidden.
 * `all`: every message (the default in direct rooms). `mentions`: only mentions of the member and
 * `@room` (the default in other rooms). `muted`: nothing, and the room's unread count stays out of
 * the tab title. Unread counts are kept at every level.
 */
export const NOTIFY_LEVELS = ['all', 'mentions', 'muted'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];

/** "Seen by" and live read receipts exist in direct rooms and rooms of at most this many members. */
export const SEEN_BY_MAX_MEMBERS = 20;

export const MESSAGE_PREVIEW_MAX_LENGTH = 140;

export class RoomUserDto {
  @Matches(USER_ID_PATTERN)
  id!: string;

  @Matches(USERNAME_PATTERN)
  username!: string;

  @IsString()
  displayName!: string;
}

/** The newest message of a room, for room and DM lists. */
export class MessagePreviewDto {
  @IsInt()
  @Min(1)
  seq!: number;

  @ValidateNested()
  @Type(() => RoomUserDto)
  sender!: RoomUserDto;

  /** The start of the text, at most 140 characters. */
  @IsString()
  @Length(0, MESSAGE_PREVIEW_MAX_LENGTH)
  excerpt!: string;

  @IsISO8601()
  createdAt!: string;
}

export class RoomDto {
  /** Short shareable id, used in links: `/rooms/{id}`. */
  @Matches(ROOM_ID_PATTERN)
  id!: string;

  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name!: string;

  @IsIn(ROOM_KINDS)
  kind!: RoomKind;

  /** `null` when no topic is set. */
  @ValidateIf((_room: unknown, value: unknown) => value !== null)
  @IsString()
  @Length(1, ROOM_TOPIC_MAX_LENGTH)
  topic!: string | null;

  /** Id of the user who created the room. */
  @IsString()
  createdBy!: string;

  /**
   * `seq` of the newest message, 0 when the room is empty. In lists it may trail the newest
   * message by up to a second in a busy room; `new_message` events are exact.
   */
  @IsInt()
  @Min(0)
  lastSeq!: number;

  /**
   * How long after sending authors may edit, in seconds; `null`: always. Deleting is never
   * limited.
   */
  @ValidateIf((_room: unknown, value: unknown) => value !== null)
  @IsInt()
  @Min(1)
  editWindowSeconds!: number | null;

  /** The newest message (as of `lastSeq`); `null` when the room is empty. */
  @ValidateIf((_room: unknown, value: unknown) => value !== null)
  @ValidateNested()
  @Type(() => MessagePreviewDto)
  lastMessage!: MessagePreviewDto | null;

  @IsISO8601()
  createdAt!: string;
}

/** The other person of a direct room, with their presence. */
export class DirectPeerDto {
  @ValidateNested()
  @Type(() => RoomUserDto)
  user!: RoomUserDto;

  @ValidateNested()
  @Type(() => PresenceDto)
  presence!: PresenceDto;
}

/** A room as the caller sees it: with the caller's role, `null` when not a member. */
export class RoomViewDto extends RoomDto {
  @ValidateIf((_room: unknown, value: unknown) => value !== null)
  @IsIn(ROOM_ROLES)
  role!: RoomRole | null;

  /**
   * The caller's read cursor: the highest `seq` they have read (0: none; always 0 for
   * non-members). Unread = `lastSeq - readSeq`; the caller's own messages move it forward.
   */
  @IsInt()
  @Min(0)
  readSeq!: number;

  /** The caller's notification level (the kind's default for non-members). */
  @IsIn(NOTIFY_LEVELS)
  notify!: NotifyLevel;

  /** Direct rooms: the other person; `null` for other kinds. */
  @ValidateIf((_room: unknown, value: unknown) => value !== null)
  @ValidateNested()
  @Type(() => DirectPeerDto)
  peer!: DirectPeerDto | null;
}

export class RoomMemberDto {
  @ValidateNested()
  @Type(() => RoomUserDto)
  user!: RoomUserDto;

  @IsIn(ROOM_ROLES)
  role!: RoomRole;

  @IsISO8601()
  joinedAt!: string;

  @ValidateNested()
  @Type(() => PresenceDto)
  presence!: PresenceDto;

  /**
   * How far this member has read, for "seen by"; `null` when the member does not share read
   * state, or the room has more than `SEEN_BY_MAX_MEMBERS` members (and is not direct).
   */
  @ValidateIf((_member: unknown, value: unknown) => value !== null)
  @IsInt()
  @Min(0)
  readSeq!: number | null;
}

/** `PUT /api/rooms/{id}/notifications`. */
export class UpdateNotificationsDto {
  @IsIn(NOTIFY_LEVELS)
  level!: NotifyLevel;
}

/** Owners only. Making someone `owner` adds an owner; the last owner cannot demote themselves. */
export class UpdateMemberDto {
  @IsIn(ROOM_ROLES)
  role!: RoomRole;
}

export class RoomBanDto {
  @ValidateNested()
  @Type(() => RoomUserDto)
  user!: RoomUserDto;

  /** Id of the owner or moderator who banned. */
  @Matches(USER_ID_PATTERN)
  bannedBy!: string;

  @IsISO8601()
  createdAt!: string;
}

export class CreateInviteDto {
  /** Omit for an invite that lasts until revoked; at most 30 days. */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(INVITE_MAX_TTL_SECONDS)
  expiresInSeconds?: number;
}

export class InviteDto {
  /** Share as `/invite/{code}`. */
  @Matches(INVITE_CODE_PATTERN)
  code!: string;

  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @Matches(USER_ID_PATTERN)
  createdBy!: string;

  @IsISO8601()
  createdAt!: string;

  /** `null`: valid until revoked. */
  @ValidateIf((_invite: unknown, value: unknown) => value !== null)
  @IsISO8601()
  expiresAt!: string | null;
}

export class OpenDirectRoomDto {
  /** The other person's username (case-insensitive). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be a username' })
  username!: string;
}
