// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { ERROR_CODES, type ErrorCode } from '../common/errors';
import { MessageDto } from '../messages/message.dto';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';

/** Most rooms one `sync` may name; a client in more rooms sends several. */
export const SYNC_MAX_ROOMS = 200;
/** Messages per room in one `sync` answer unless the client asks for fewer. */
export const SYNC_PAGE_DEFAULT = 100;
export const SYNC_PAGE_MAX = 500;

/**
 * `{ [roomId]: lastSeq }` with room ids as keys, every value a whole number ≥ 0 and at most
 * `maxRooms` entries. class-validator has no decorator for a record's keys, hence this one.
 */
function IsSeqMap(maxRooms: number, options?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isSeqMap',
      target: target.constructor,
      propertyName,
      options: {
        message: `$property must map up to ${maxRooms} room ids to the last seq held (a whole number ≥ 0)`,
        ...options,
      },
      validator: {
        validate(value: unknown): boolean {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          if (Object.getPrototypeOf(value) !== Object.prototype) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= maxRooms &&
            entries.every(
              ([room, seq]) =>
                ROOM_ID_PATTERN.test(room) && Number.isSafeInteger(seq) && (seq as number) >= 0,
            )
          );
        },
      },
    });
  };
}

/** JSON Schema of `SyncDto.rooms`, for API docs (class-validator-jsonschema cannot derive it). */
export const SYNC_ROOMS_JSON_SCHEMA = {
  type: 'object',
  description: 'Room id → the last seq the client holds for it (0 = nothing yet)',
  propertyNames: { pattern: ROOM_ID_PATTERN.source },
  additionalProperties: { type: 'integer', minimum: 0 },
  maxProperties: SYNC_MAX_ROOMS,
  example: { k3v9x0q2mz: 41 },
} as const;

/**
 * Client → server after every (re)connection, and to fill a gap: "I hold every message of these
 * rooms up to `lastSeq`; send me what follows". `0` means "nothing yet".
 */
export class SyncDto {
  @IsSeqMap(SYNC_MAX_ROOMS)
  rooms!: Record<string, number>;

  /**
   * `{ [roomId]: changeSeq }`: "I hold every change (edit, delete, reaction, pin) of these rooms
   * up to `changeSeq`" (from a history page's `changeSeq`, or a previous sync). Rooms named here
   * must also be in `rooms`.
   */
  @IsOptional()
  @IsSeqMap(SYNC_MAX_ROOMS)
  changes?: Record<string, number>;

  /** Messages per room in this answer, 1–500 (default 100). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SYNC_PAGE_MAX)
  limit?: number;
}

/** What one room missed: the messages after the client's `lastSeq`, oldest first. */
export class RoomSyncDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  /** `seq` > the client's lastSeq, ascending and contiguous; at most `limit`. */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageDto)
  messages!: MessageDto[];

  /** The room's newest `seq` when this answer was read; ask again while `hasMore`. */
  @IsInt()
  @Min(0)
  lastSeq!: number;

  @IsBoolean()
  hasMore!: boolean;

  /**
   * When the room was named in `changes`: messages changed after that cursor (current state,
   * whole), by ascending `changeSeq`; at most `limit`. Apply each unless a copy with a higher
   * `version` is held. Empty otherwise.
   */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => MessageDto)
  changed!: MessageDto[];

  /** The next `changes` cursor for this room (the highest `changeSeq` returned, or the one sent). */
  @IsInt()
  @Min(0)
  changeSeq!: number;

  @IsBoolean()
  hasMoreChanges!: boolean;
}

/** A room the caller may no longer read (deleted, kicked, banned): drop it locally. */
export class RoomSyncRefusalDto {
  @Matches(ROOM_ID_PATTERN)
  room!: string;

  @IsIn(ERROR_CODES)
  code!: ErrorCode;
}

export class SyncResultDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RoomSyncDto)
  rooms!: RoomSyncDto[];

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RoomSyncRefusalDto)
  refused!: RoomSyncRefusalDto[];
}
