import { IsISO8601, IsInt, IsString, Length, Matches, Min } from 'class-validator';
import { Trim } from '../common/transforms';

/** Room ids are short, shareable and case-sensitive-safe: 10 characters of 0–9 and a–z. */
export const ROOM_ID_PATTERN = /^[0-9a-z]{10}$/;
export const ROOM_NAME_MAX_LENGTH = 80;

export class CreateRoomDto {
  /** 1–80 characters after trimming. */
  @Trim()
  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name!: string;
}

export class RoomIdParamDto {
  @Matches(ROOM_ID_PATTERN, { message: 'id must be a room id (10 characters of 0–9, a–z)' })
  id!: string;
}

export class RoomDto {
  /** Short shareable id, used in links: `/rooms/{id}`. */
  @Matches(ROOM_ID_PATTERN)
  id!: string;

  @IsString()
  @Length(1, ROOM_NAME_MAX_LENGTH)
  name!: string;

  /** Id of the user who created the room. */
  @IsString()
  createdBy!: string;

  /** `seq` of the newest message, 0 when the room is empty. */
  @IsInt()
  @Min(0)
  lastSeq!: number;

  @IsISO8601()
  createdAt!: string;
}
