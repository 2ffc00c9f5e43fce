// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ToInt, Trim } from '../common/transforms';
import { ROOM_ID_PATTERN } from '../rooms/room.dto';
import { MessageDto } from './message.dto';

export const SEARCH_QUERY_MAX_LENGTH = 200;
export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;

/**
 * `GET /api/search/messages?q=…&room=…`: messages containing every word of `q` (as a word, or as
 * the start of one; CJK text matches by substring), in one room or in every room the caller
 * belongs to; newest first. Deleted messages are never found.
 */
export class SearchMessagesQueryDto {
  @Trim()
  @IsString()
  @Length(1, SEARCH_QUERY_MAX_LENGTH)
  q!: string;

  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: 'room must be a room id (10 characters of 0–9, a–z)' })
  room?: string;

  /** From a previous page's `nextBefore`. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  before?: string;

  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(SEARCH_PAGE_MAX)
  limit?: number;
}

/** A matched stretch of `message.content`: `[start, end)` in UTF-16 units. */
export class TextRangeDto {
  @IsInt()
  @Min(0)
  start!: number;

  @IsInt()
  @Min(0)
  end!: number;
}

export class SearchHitDto {
  @ValidateNested()
  @Type(() => MessageDto)
  message!: MessageDto;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TextRangeDto)
  highlights!: TextRangeDto[];
}

export class SearchResultDto {
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SearchHitDto)
  items!: SearchHitDto[];

  /** Pass as `before` for older results; `null` at the end. */
  @ValidateIf((_page: unknown, value: unknown) => value !== null)
  @IsString()
  nextBefore!: string | null;
}
