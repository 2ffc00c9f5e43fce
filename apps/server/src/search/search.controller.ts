import { Controller, Get, HttpStatus, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ROOM_ID_PATTERN,
  SEARCH_PAGE_DEFAULT,
  SEARCH_PAGE_MAX,
  SEARCH_QUERY_MAX_LENGTH,
  SearchMessagesQueryDto,
  SearchResultDto,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { SearchService } from './search.service';

const RESULT_EXAMPLE: SearchResultDto = {
  items: [
    {
      message: {
        id: '665f1c2b1e8a474d7e9a6600',
        room: 'k3v9x0q2mz',
        seq: 41,
        sender: { id: '665f1c2b1e8a474d7e9a650c', username: 'ann', displayName: 'Ann' },
        content: 'Chapter 3 of 東京物語 is next',
        mentions: [],
        mentionsRoom: false,
        clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11',
        createdAt: '2026-01-01T12:01:00.000Z',
        version: 1,
        changeSeq: 0,
        editedAt: null,
        deletedAt: null,
        reactions: [],
        replyTo: null,
        pinnedAt: null,
        attachments: [],
      },
      highlights: [
        { start: 0, end: 4 },
        { start: 13, end: 15 },
      ],
    },
  ],
  nextBefore: '665f1c2b1e8a474d7e9a6600',
};

@ApiTags('search')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('messages')
  @ApiOperation({
    summary: 'Search messages in one room or in all my rooms',
    description:
      'Messages containing every term of `q`, newest first. A term is a word, found as a whole word ' +
      'or as the start of one (`chap` finds "Chapter"); Chinese, Japanese and Korean text is found ' +
      'by any substring. Case, width and Latin accents are ignored (Unicode NFKC). Without `room`: ' +
      'every room the caller is a member of (not public rooms they have not joined). Deleted ' +
      'messages are never found. `highlights` are `[start, end)` UTF-16 ranges of `content`. A ' +
      'page may hold fewer than `limit` results and still have a `nextBefore`.',
  })
  @ApiQuery({
    name: 'q',
    required: true,
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: SEARCH_QUERY_MAX_LENGTH,
      example: 'chap 東京',
    },
    description: 'The terms, separated by spaces or punctuation',
  })
  @ApiQuery({
    name: 'room',
    required: false,
    schema: { type: 'string', pattern: ROOM_ID_PATTERN.source, example: 'k3v9x0q2mz' },
    description: 'Only this room (the caller must be allowed to read it)',
  })
  @ApiQuery({
    name: 'before',
    required: false,
    schema: { type: 'string', example: '665f1c2b1e8a474d7e9a6600' },
    description: 'A `nextBefore` from the previous page',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: SEARCH_PAGE_MAX, default: SEARCH_PAGE_DEFAULT },
    description: `Page size, 1–${SEARCH_PAGE_MAX}`,
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'One page of results',
    schema: contractSchema(SearchResultDto, RESULT_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  searchMessages(
    @CurrentUser() user: AuthUser,
    @Query() query: SearchMessagesQueryDto,
  ): Promise<SearchResultDto> {
    return this.search.searchMessages(user, query);
  }
}
