import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateRoomDto,
  OpenDirectRoomDto,
  ROOM_ID_PATTERN,
  RoomDto,
  RoomIdParamDto,
  RoomViewDto,
  UpdateNotificationsDto,
  UpdateRoomDto,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { DirectRoomsService } from './direct-rooms.service';
import { ROOM_LIST_LIMIT, RoomsService } from './rooms.service';

export const ROOM_EXAMPLE: RoomDto = {
  id: 'k3v9x0q2mz',
  name: 'Book club',
  kind: 'public',
  topic: 'Chapter 3 this week',
  editWindowSeconds: null,
  createdBy: '665f1c2b1e8a474d7e9a650c',
  lastSeq: 42,
  lastMessage: {
    seq: 42,
    sender: { id: '665f1c2b1e8a474d7e9a650c', username: 'ann', displayName: 'Ann' },
    excerpt: 'Has everyone finished chapter 3?',
    createdAt: '2026-01-01T12:01:00.000Z',
  },
  createdAt: '2026-01-01T12:00:00.000Z',
};

export const ROOM_VIEW_EXAMPLE: RoomViewDto = {
  ...ROOM_EXAMPLE,
  role: 'member',
  readSeq: 40,
  notify: 'mentions',
  peer: null,
};

const DIRECT_ROOM_VIEW_EXAMPLE: RoomViewDto = {
  ...ROOM_VIEW_EXAMPLE,
  name: 'Ann & Bob',
  kind: 'direct',
  topic: null,
  notify: 'all',
  peer: {
    user: { id: '665f1c2b1e8a474d7e9a650d', username: 'bob', displayName: 'Bob' },
    presence: { status: 'online', lastSeenAt: null },
  },
};

/** Errors of every moderator-only route on a room (invites, members, bans). */
export const ROOM_MODERATION_ERRORS = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_a_member',
  'room_not_found',
] as const;

export const ROOM_ID_PARAM = {
  name: 'id',
  description: 'Room id: 10 characters of 0–9 and a–z',
  schema: { type: 'string', pattern: ROOM_ID_PATTERN.source, example: ROOM_EXAMPLE.id },
} as const;

@ApiTags('rooms')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a room',
    description: 'Public (default) or private. The creator is its owner and gets a short id.',
  })
  @ApiBody({ schema: contractSchema(CreateRoomDto, { name: 'Book club', kind: 'private' }) })
  @ApiResponse({
    status: HttpStatus.CREATED,
    description: 'The new room',
    schema: contractSchema(RoomViewDto, {
      ...ROOM_VIEW_EXAMPLE,
      lastSeq: 0,
      lastMessage: null,
      readSeq: 0,
      role: 'owner',
    }),
  })
  @ApiErrors('validation_failed', 'unauthorized')
  create(@CurrentUser() user: AuthUser, @Body() input: CreateRoomDto): Promise<RoomViewDto> {
    return this.rooms.create(user, input);
  }

  @Get()
  @ApiOperation({
    summary: 'List rooms',
    description:
      `Every room I am a member of (with my role), plus the ${ROOM_LIST_LIMIT} most recently ` +
      'active public rooms (role `null` where I am not a member); newest activity first. Each ' +
      'has my read cursor (unread = `lastSeq - readSeq`), my notification level, its newest ' +
      'message, and for direct rooms the other person with their presence.',
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Rooms',
    schema: contractSchema(RoomViewDto, [ROOM_VIEW_EXAMPLE, DIRECT_ROOM_VIEW_EXAMPLE], true),
  })
  @ApiErrors('unauthorized')
  list(@CurrentUser() user: AuthUser): Promise<RoomViewDto[]> {
    return this.rooms.list(user);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Get a room by id',
    description: 'Public rooms: anyone signed in and not banned. Private and direct: members.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The room, with my role',
    schema: contractSchema(RoomViewDto, ROOM_VIEW_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  get(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<RoomViewDto> {
    return this.rooms.get(user, params.id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename a room or set its topic',
    description: 'Owners and moderators; not in direct rooms. An empty topic clears it.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiBody({ schema: contractSchema(UpdateRoomDto, { topic: 'Chapter 4 next week' }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The updated room; members get `room_updated`',
    schema: contractSchema(RoomDto, ROOM_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_a_member', 'room_not_found')
  update(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomIdParamDto,
    @Body() input: UpdateRoomDto,
  ): Promise<RoomDto> {
    return this.rooms.update(user, params.id, input);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a room',
    description: 'Owners only. Every member gets `room_removed` (reason `deleted`).',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Deleted' })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_a_member', 'room_not_found')
  remove(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<void> {
    return this.rooms.remove(user, params.id);
  }

  @Put(':id/notifications')
  @ApiOperation({
    summary: 'Set my notification level for a room',
    description:
      'Members. `all`: every message; `mentions`: mentions of me and `@room`; `muted`: nothing. ' +
      'Every tab of mine gets `notifications_updated`.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiBody({ schema: contractSchema(UpdateNotificationsDto, { level: 'muted' }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The room, with my new level',
    schema: contractSchema(RoomViewDto, { ...ROOM_VIEW_EXAMPLE, notify: 'muted' }),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  setNotifications(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomIdParamDto,
    @Body() input: UpdateNotificationsDto,
  ): Promise<RoomViewDto> {
    return this.rooms.setNotifications(user, params.id, input.level);
  }
}

@ApiTags('rooms')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('dms')
export class DirectRoomsController {
  constructor(private readonly direct: DirectRoomsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Open a direct conversation',
    description: 'Returns the existing direct room with that user, or creates it.',
  })
  @ApiBody({ schema: contractSchema(OpenDirectRoomDto, { username: 'bob' }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The direct room',
    schema: contractSchema(RoomViewDto, DIRECT_ROOM_VIEW_EXAMPLE),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'user_not_found')
  open(@CurrentUser() user: AuthUser, @Body() input: OpenDirectRoomDto): Promise<RoomViewDto> {
    return this.direct.open(user, input.username);
  }
}
