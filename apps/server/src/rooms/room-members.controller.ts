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
  RoomBanDto,
  RoomIdParamDto,
  RoomMemberDto,
  RoomMemberParamDto,
  SEEN_BY_MAX_MEMBERS,
  UpdateMemberDto,
  USER_ID_PATTERN,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { RoomMembersService } from './room-members.service';
import { ROOM_ID_PARAM, ROOM_MODERATION_ERRORS } from './rooms.controller';

const USER = { id: '665f1c2b1e8a474d7e9a650d', username: 'bob', displayName: 'Bob' };
const MEMBER_EXAMPLE: RoomMemberDto = {
  user: USER,
  role: 'moderator',
  joinedAt: '2026-01-01T12:00:00.000Z',
  presence: { status: 'away', lastSeenAt: null },
  readSeq: 41,
};
const BAN_EXAMPLE: RoomBanDto = {
  user: USER,
  bannedBy: '665f1c2b1e8a474d7e9a650c',
  createdAt: '2026-01-02T12:00:00.000Z',
};
const USER_ID_PARAM = {
  name: 'userId',
  description: 'User id',
  schema: { type: 'string', pattern: USER_ID_PATTERN.source, example: USER.id },
} as const;
const TARGET_ERRORS = [...ROOM_MODERATION_ERRORS, 'member_not_found'] as const;

@ApiTags('rooms')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('rooms/:id')
export class RoomMembersController {
  constructor(private readonly members: RoomMembersService) {}

  @Get('members')
  @ApiOperation({
    summary: 'List members with their roles and presence',
    description:
      'Members only. `readSeq` (for "seen by") is set in direct rooms and rooms of at most ' +
      `${SEEN_BY_MAX_MEMBERS} members, for members who share their read state; \`null\` otherwise.`,
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Members, earliest first',
    schema: contractSchema(RoomMemberDto, [MEMBER_EXAMPLE], true),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'not_a_member', 'banned', 'room_not_found')
  list(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<RoomMemberDto[]> {
    return this.members.list(user, params.id);
  }

  @Patch('members/:userId')
  @ApiOperation({
    summary: 'Promote or demote a member',
    description: 'Owners only. The room always keeps one owner (`last_owner`).',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiParam(USER_ID_PARAM)
  @ApiBody({ schema: contractSchema(UpdateMemberDto, { role: 'moderator' }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The member; the room gets `member_updated`',
    schema: contractSchema(RoomMemberDto, MEMBER_EXAMPLE),
  })
  @ApiErrors(...TARGET_ERRORS, 'last_owner')
  setRole(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomMemberParamDto,
    @Body() input: UpdateMemberDto,
  ): Promise<RoomMemberDto> {
    return this.members.setRole(user, params.id, params.userId, input.role);
  }

  @Delete('members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Kick a member',
    description:
      'Owners and moderators, of a lower role only. The member’s sockets leave at once and get ' +
      '`room_removed` (reason `kicked`); they may rejoin a public room.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiParam(USER_ID_PARAM)
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Kicked' })
  @ApiErrors(...TARGET_ERRORS)
  kick(@CurrentUser() user: AuthUser, @Param() params: RoomMemberParamDto): Promise<void> {
    return this.members.kick(user, params.id, params.userId);
  }

  @Post('leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Leave a room',
    description: 'Members. The last owner must hand over ownership first (`last_owner`).',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Left' })
  @ApiErrors(
    'validation_failed',
    'unauthorized',
    'forbidden',
    'not_a_member',
    'room_not_found',
    'last_owner',
  )
  leave(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<void> {
    return this.members.leave(user, params.id);
  }

  @Get('bans')
  @ApiOperation({ summary: 'List bans', description: 'Owners and moderators.' })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Bans, oldest first',
    schema: contractSchema(RoomBanDto, [BAN_EXAMPLE], true),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'forbidden', 'not_a_member', 'room_not_found')
  listBans(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<RoomBanDto[]> {
    return this.members.listBans(user, params.id);
  }

  @Put('bans/:userId')
  @ApiOperation({
    summary: 'Ban a user',
    description:
      'Owners and moderators. A banned member is removed at once (`room_removed`, reason ' +
      '`banned`) and cannot rejoin, read the room or accept invites until unbanned.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiParam(USER_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The ban',
    schema: contractSchema(RoomBanDto, BAN_EXAMPLE),
  })
  @ApiErrors(...TARGET_ERRORS, 'user_not_found')
  ban(@CurrentUser() user: AuthUser, @Param() params: RoomMemberParamDto): Promise<RoomBanDto> {
    return this.members.ban(user, params.id, params.userId);
  }

  @Delete('bans/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Lift a ban', description: 'Owners and moderators.' })
  @ApiParam(ROOM_ID_PARAM)
  @ApiParam(USER_ID_PARAM)
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Unbanned' })
  @ApiErrors(...TARGET_ERRORS, 'not_found')
  unban(@CurrentUser() user: AuthUser, @Param() params: RoomMemberParamDto): Promise<void> {
    return this.members.unban(user, params.id, params.userId);
  }
}
