// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { IsBoolean, IsString, Length, Matches } from 'class-validator';
import { Trim } from '../common/transforms';
import {
  EMOJI_MAX_LENGTH,
  EMOJI_PATTERN,
  MESSAGE_ID_PATTERN,
  MESSAGE_MAX_LENGTH,
} from '../messages/message.dto';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';

const roomIdMessage = { message: 'room must be a room id (10 characters of 0–9, a–z)' };
const messageIdMessage = { message: 'id must be a message id (24 hex characters)' };

/** Authors only, within the room's edit window; the previous text is kept server-side. */
export class EditMessageDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  room!: string;

  @Matches(MESSAGE_ID_PATTERN, messageIdMessage)
  id!: string;

  /** 1–4000 characters after trimming. */
  @Trim()
  @IsString()
  @Length(1, MESSAGE_MAX_LENGTH)
  content!: string;
}

/**
 * The author, or an owner/moderator of the room. The message stays as a tombstone ("message
 * deleted") so the conversation keeps its shape; deleting again answers the tombstone.
 */
export class DeleteMessageDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  room!: string;

  @Matches(MESSAGE_ID_PATTERN, messageIdMessage)
  id!: string;
}

/** Any member: add (`add: true`) or remove one's own reaction. Idempotent. */
export class ReactDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  room!: string;

  @Matches(MESSAGE_ID_PATTERN, messageIdMessage)
  id!: string;

  @Length(1, EMOJI_MAX_LENGTH)
  @Matches(EMOJI_PATTERN, { message: 'emoji must be one emoji' })
  emoji!: string;

  @IsBoolean()
  add!: boolean;
}

/** Owners and moderators (any member in a direct room): pin or unpin. Idempotent. */
export class PinMessageDto {
  @Matches(ROOM_ID_PATTERN, roomIdMessage)
  room!: string;

  @Matches(MESSAGE_ID_PATTERN, messageIdMessage)
  id!: string;

  @IsBoolean()
  pinned!: boolean;
}
