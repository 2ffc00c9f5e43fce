// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ToInt } from '../common/transforms';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';
import { USERNAME_PATTERN } from '../users/user.dto';

export const MESSAGE_MAX_LENGTH = 4000;
/** Message ids are MongoDB ObjectIds: 24 hex characters. */
export const MESSAGE_ID_PATTERN = /^[0-9a-f]{24}$/;
/** File ids (GridFS) are ObjectIds too. */
export const FILE_ID_PATTERN = /^[0-9a-f]{24}$/;
/** Files one message may carry. */
export const MESSAGE_ATTACHMENTS_MAX = 10;
/** Distinct emoji on one message. */
export const MESSAGE_REACTIONS_MAX = 20;
/**
 * One emoji as Unicode (not a `:shortcode:`): pictographs with their modifiers, variation
 * selectors, joiners, keycaps and flags; at most 32 UTF-16 units. At least one pictograph, flag
 * letter or keycap: digits, `#` and `*` alone are emoji components but not emoji.
 */
export const EMOJI_PATTERN =
  /^(?=.*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3))(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3)+$/u;
export const EMOJI_MAX_LENGTH = 32;
export const ATTACHMENT_KINDS = ['image', 'file'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const MESSAGE_PAGE_DEFAULT = 50;
export const MESSAGE_PAGE_MAX = 200;

export class MessageSenderDto {
  @IsString()
  id!: string;

  @Matches(USERNAME_PATTERN)
  username!: string;

  @IsString()
  displayName!: string;
}

/** A user mentioned in a message (`@username`), resolved among the room's members when sent. */
export class MentionDto {
  @IsString()
  userId!: string;

  @Matches(USERNAME_PATTERN)
  username!: string;
}

/** A file carried by a message. Download: `/api/files/{id}`; images: `/api/files/{id}/thumbnail`. */
export class AttachmentDto {
  @Matches(FILE_ID_PATTERN)
  id!: string;

  /** The uploader's file name, for display only (never used to store or serve the file). */
  @IsString()
  @Length(1, 255)
  name!: string;

  @IsInt()
  @Min(0)
  size!: number;

  /** Decided from the content's signature, not from what the uploader declared. */
  @IsString()
  contentType!: string;

  /** `image`: a PNG, JPEG, GIF or WebP with a thumbnail; anything else is a `file`. */
  @IsIn(ATTACHMENT_KINDS)
  kind!: AttachmentKind;

  @ValidateIf((_file: unknown, value: unknown) => value !== null)
  @IsInt()
  @Min(1)
  width!: number | null;

  @ValidateIf((_file: unknown, value: unknown) => value !== null)
  @IsInt()
  @Min(1)
  height!: number | null;
}

/** One emoji on a message: how many reacted, and who (user ids, oldest first). */
export class ReactionDto {
  @Matches(EMOJI_PATTERN)
  @Length(1, EMOJI_MAX_LENGTH)
  emoji!: string;

  @IsInt()
  @Min(1)
  count!: number;

  @IsArray()
  @IsString({ each: true })
  userIds!: string[];
}

/** The message replied to, as it was when the reply was shown (a jump target). */
export class ReplyPreviewDto {
  @Matches(MESSAGE_ID_PATTERN)
  id!: string;

  @IsInt()
  @Min(1)
  seq!: number;

  @ValidateNested()
  @Type(() => MessageSenderDto)
  sender!: MessageSenderDto;

  /** The start of its text (140 characters at most); empty when it was deleted. */
  @IsString()
  @Length(0, 140)
  excerpt!: string;

  @IsBoolean()
  deleted!: boolean;
}

export class MessageDto {
  @IsString()
  id!: string;

  /** Room id. */
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  /** Per-room sequence number: 1, 2, 3… with no gaps; the order everyone sees. */
  @IsInt()
  @Min(1)
  seq!: number;

  @ValidateNested()
  @Type(() => MessageSenderDto)
  sender!: MessageSenderDto;

  /** Empty for a deleted message (a tombstone) and for a message that only carries files. */
  @IsString()
  @Length(0, MESSAGE_MAX_LENGTH)
  content!: string;

  /** Members mentioned by `@username` (only members of the room at the time it was sent). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MentionDto)
  mentions!: MentionDto[];

  /** `@room`: every member is notified. */
  @IsBoolean()
  mentionsRoom!: boolean;

  /** The sender's own id for this message (UUID), echoed so the sender can reconcile. */
  @IsUUID()
  clientMessageId!: string;

  @IsISO8601()
  createdAt!: string;

  /**
   * 1 when stored; +1 with every change (edit, delete, reaction, pin). Of two copies of one
   * message, the higher version is the newer: clients keep it and drop the other.
   */
  @IsInt()
  @Min(1)
  version!: number;

  /**
   * The room's change sequence at this message's latest change (0: never changed). `sync` with
   * `changes: {room: changeSeq}` returns the messages changed after a cursor.
   */
  @IsInt()
  @Min(0)
  changeSeq!: number;

  @ValidateIf((_message: unknown, value: unknown) => value !== null)
  @IsISO8601()
  editedAt!: string | null;

  /** A tombstone: `content`, mentions, reactions and attachments are empty. */
  @ValidateIf((_message: unknown, value: unknown) => value !== null)
  @IsISO8601()
  deletedAt!: string | null;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ReactionDto)
  reactions!: ReactionDto[];

  @ValidateIf((_message: unknown, value: unknown) => value !== null)
  @ValidateNested()
  @Type(() => ReplyPreviewDto)
  replyTo!: ReplyPreviewDto | null;

  /** When it was pinned to the room; `null` when not pinned. */
  @ValidateIf((_message: unknown, value: unknown) => value !== null)
  @IsISO8601()
  pinnedAt!: string | null;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AttachmentDto)
  attachments!: AttachmentDto[];
}

export class ListMessagesQueryDto {
  /** Return messages with `seq` lower than this (exclusive). Omit for the newest page. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  before?: number;

  /**
   * Instead of `before`: the page around this seq (half before it, the rest from it on) — for
   * jumping to a search result or a replied-to message. Not with `before`.
   */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  around?: number;

  /** Page size, 1–200 (default 50). */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(MESSAGE_PAGE_MAX)
  limit?: number;
}

export class MessagePageDto {
  /** Oldest first. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageDto)
  items!: MessageDto[];

  /** Pass as `before` to get the previous page; `null` when this page reaches the start. */
  @ValidateIf((_page: unknown, value: unknown) => value !== null)
  @IsInt()
  nextBefore!: number | null;

  /**
   * The room's change sequence, read before the page: a client that holds this page and syncs
   * changes from here converges to the room's current state.
   */
  @IsInt()
  @Min(0)
  changeSeq!: number;
}
