// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { IsIn, IsInt, Matches, Min } from 'class-validator';
import {
  NOTIFY_LEVELS,
  type NotifyLevel,
  ROOM_ID_PATTERN,
  USER_ID_PATTERN,
} from '../rooms/room.dto';

/**
 * Client → server: messages up to `seq` were seen (visible, with the window focused). The read
 * cursor only moves forward: a lower or repeated `seq` changes nothing, and a `seq` beyond the
 * newest message counts as the newest.
 */
export class MarkReadDto {
  @Matches(ROOM_ID_PATTERN, { message: 'room must be a room id (10 characters of 0–9, a–z)' })
  room!: string;

  @IsInt()
  @Min(1)
  seq!: number;
}

/**
 * The caller's read cursor of a room: `mark_read`'s answer, and `read_state`, pushed to every
 * tab of the user whenever it moves (their own messages move it too).
 */
export class ReadStateDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @IsInt()
  @Min(0)
  readSeq!: number;
}

/**
 * To the room, in direct rooms and rooms of at most `SEEN_BY_MAX_MEMBERS` members: a member who
 * shares read state read up to `readSeq` ("seen by").
 */
export class ReadReceiptDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @Matches(USER_ID_PATTERN)
  userId!: string;

  @IsInt()
  @Min(0)
  readSeq!: number;
}

/** To every tab of the user: their notification level of a room changed. */
export class NotificationsUpdatedDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @IsIn(NOTIFY_LEVELS)
  level!: NotifyLevel;
}
