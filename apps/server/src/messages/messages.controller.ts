import { Controller, Get, HttpStatus, Param, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ListMessagesQueryDto,
  MESSAGE_PAGE_DEFAULT,
  MESSAGE_PAGE_MAX,
  MessagePageDto,
  RoomIdParamDto,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { ROOM_ID_PARAM } from '../rooms/rooms.controller';
import { MessagesService } from './messages.service';

const PAGE_EXAMPLE: MessagePageDto = {
  items: [
    {
      id: '665f1c2b1e8a474d7e9a6600',
      room: 'k3v9x0q2mz',
      seq: 41,
      sender: { id: '665f1c2b1e8a474d7e9a650c', username: 'ann', displayName: 'Ann' },
      content: 'Has everyone finished chapter 3? @bob',
      mentions: [{ userId: '665f1c2b1e8a474d7e9a650d', username: 'bob' }],
      mentionsRoom: false,
      clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11',
      createdAt: '2026-01-01T12:01:00.000Z',
      version: 2,
      changeSeq: 7,
      editedAt: '2026-01-01T12:02:00.000Z',
      deletedAt: null,
      reactions: [{ emoji: '👍', count: 1, userIds: ['665f1c2b1e8a474d7e9a650d'] }],
      replyTo: null,
      pinnedAt: null,
      attachments: [],
    },
  ],
  nextBefore: 41,
  changeSeq: 7,
};

@ApiTags('messages')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('rooms/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @ApiOperation({
    summary: 'Page through a room’s history',
    description:
      'Public rooms: anyone signed in and not banned; private and direct rooms: members. Newest page first; items within a page are oldest first. Pass `nextBefore` as `before` ' +
      'to get the previous page; it is `null` once the start of the room is reached.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiQuery({
    name: 'before',
    required: false,
    schema: { type: 'integer', minimum: 1, example: 42 },
    description: 'Only messages with a lower `seq` (exclusive)',
  })
  @ApiQuery({
    name: 'around',
    required: false,
    schema: { type: 'integer', minimum: 1, example: 120 },
    description:
      'Instead of `before`: the page around this `seq` (up to half the page before it, the rest from it on), for jumping to a search result or a replied-to message',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: {
      type: 'integer',
      minimum: 1,
      maximum: MESSAGE_PAGE_MAX,
      default: MESSAGE_PAGE_DEFAULT,
    },
    description: `Page size, 1–${MESSAGE_PAGE_MAX}`,
    example: MESSAGE_PAGE_DEFAULT,
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'One page of messages',
    schema: contractSchema(MessagePageDto, PAGE_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  list(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomIdParamDto,
    @Query() query: ListMessagesQueryDto,
  ): Promise<MessagePageDto> {
    return this.messages.page(user, params.id, query);
  }
}
