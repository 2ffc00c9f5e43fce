// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, Matches, Min, ValidateNested } from 'class-validator';
import { MessageSenderDto } from '../messages/message.dto';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';

/** An indicator not refreshed for this long is over (on the server and in every client). */
export const TYPING_EXPIRES_MS = 5_000;
/** How often a client that keeps typing refreshes its indicator (and at most sends `typing`). */
export const TYPING_REFRESH_MS = 2_000;

/**
 * Client → server: "I am typing in this room" (refreshed every `TYPING_REFRESH_MS` while typing)
 * or "I stopped". Sending a message, leaving the room and disconnecting stop it too.
 */
export class TypingDto {
  @Matches(ROOM_ID_PATTERN, { message: 'room must be a room id (10 characters of 0–9, a–z)' })
  room!: string;

  @IsBoolean()
  isTyping!: boolean;
}

export class TypingResultDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;
}

/** Server → the room's other members: someone started, refreshed or stopped typing. */
export class UserTypingDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @ValidateNested()
  @Type(() => MessageSenderDto)
  user!: MessageSenderDto;

  @IsBoolean()
  isTyping!: boolean;

  /** With `isTyping`: hide the indicator after this long unless it is refreshed. */
  @IsInt()
  @Min(0)
  expiresInMs!: number;
}
