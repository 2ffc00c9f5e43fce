// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
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

  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
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
}

export class ListMessagesQueryDto {
  /** Return messages with `seq` lower than this (exclusive). Omit for the newest page. */
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  before?: number;

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
}
