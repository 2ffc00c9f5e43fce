import { Controller, Get, HttpStatus, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MessageDto, RoomIdParamDto } from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { ROOM_ID_PARAM } from '../rooms/rooms.controller';
import { MessageActionsService, PINS_LIST_MAX } from './message-actions.service';

const PINNED_EXAMPLE: MessageDto = {
  id: '665f1c2b1e8a474d7e9a6600',
  room: 'k3v9x0q2mz',
  seq: 41,
  sender: { id: '665f1c2b1e8a474d7e9a650c', username: 'ann', displayName: 'Ann' },
  content: 'Meeting notes are in the shared folder',
  mentions: [],
  mentionsRoom: false,
  clientMessageId: '6f1c2b1e-8a47-4d7e-9a65-0c7a2f4c5b11',
  createdAt: '2026-01-01T12:01:00.000Z',
  version: 2,
  changeSeq: 3,
  editedAt: null,
  deletedAt: null,
  reactions: [],
  replyTo: null,
  pinnedAt: '2026-01-01T12:05:00.000Z',
  attachments: [],
};

@ApiTags('messages')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('rooms/:id/pins')
export class PinsController {
  constructor(private readonly actions: MessageActionsService) {}

  @Get()
  @ApiOperation({
    summary: 'List a room’s pinned messages',
    description:
      `Newest pin first, at most ${PINS_LIST_MAX}. Whoever may read the room’s history: public ` +
      'rooms anyone signed in and not banned, private and direct rooms members. Pin and unpin ' +
      'with the `pin_message` socket event.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Pinned messages',
    schema: contractSchema(MessageDto, [PINNED_EXAMPLE], true),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  list(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<MessageDto[]> {
    return this.actions.pins(user, params.id);
  }
}
