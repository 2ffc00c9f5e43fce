import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
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
  CreateInviteDto,
  INVITE_CODE_PATTERN,
  InviteCodeParamDto,
  InviteDto,
  RoomIdParamDto,
  RoomInviteParamDto,
  RoomViewDto,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { RoomInvitesService } from './room-invites.service';
import { ROOM_ID_PARAM, ROOM_MODERATION_ERRORS, ROOM_VIEW_EXAMPLE } from './rooms.controller';

const INVITE_EXAMPLE: InviteDto = {
  code: 'q8w2e4r6t8y0u2i4',
  room: 'k3v9x0q2mz',
  createdBy: '665f1c2b1e8a474d7e9a650c',
  createdAt: '2026-01-01T12:00:00.000Z',
  expiresAt: '2026-01-02T12:00:00.000Z',
};
const CODE_PARAM = {
  name: 'code',
  description: 'Invite code',
  schema: { type: 'string', pattern: INVITE_CODE_PATTERN.source, example: INVITE_EXAMPLE.code },
} as const;

@ApiTags('invites')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller()
export class RoomInvitesController {
  constructor(private readonly invites: RoomInvitesService) {}

  @Post('rooms/:id/invites')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create an invite to a private room',
    description: 'Owners and moderators. Share it as `/invite/{code}`.',
  })
  @ApiParam(ROOM_ID_PARAM)
  @ApiBody({ schema: contractSchema(CreateInviteDto, { expiresInSeconds: 86400 }) })
  @ApiResponse({
    status: HttpStatus.CREATED,
    description: 'The invite',
    schema: contractSchema(InviteDto, INVITE_EXAMPLE),
  })
  @ApiErrors(...ROOM_MODERATION_ERRORS)
  create(
    @CurrentUser() user: AuthUser,
    @Param() params: RoomIdParamDto,
    @Body() input: CreateInviteDto,
  ): Promise<InviteDto> {
    return this.invites.create(user, params.id, input);
  }

  @Get('rooms/:id/invites')
  @ApiOperation({ summary: 'List a room’s invites', description: 'Owners and moderators.' })
  @ApiParam(ROOM_ID_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Invites, newest first',
    schema: contractSchema(InviteDto, [INVITE_EXAMPLE], true),
  })
  @ApiErrors(...ROOM_MODERATION_ERRORS)
  list(@CurrentUser() user: AuthUser, @Param() params: RoomIdParamDto): Promise<InviteDto[]> {
    return this.invites.list(user, params.id);
  }

  @Delete('rooms/:id/invites/:code')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an invite', description: 'Owners and moderators.' })
  @ApiParam(ROOM_ID_PARAM)
  @ApiParam(CODE_PARAM)
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Revoked' })
  @ApiErrors(...ROOM_MODERATION_ERRORS, 'invite_invalid')
  revoke(@CurrentUser() user: AuthUser, @Param() params: RoomInviteParamDto): Promise<void> {
    return this.invites.revoke(user, params.id, params.code);
  }

  @Post('invites/:code/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Accept an invite',
    description: 'Makes the caller a member of the room. Unknown, revoked or expired: 404.',
  })
  @ApiParam(CODE_PARAM)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The room joined',
    schema: contractSchema(RoomViewDto, { ...ROOM_VIEW_EXAMPLE, kind: 'private' }),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'banned', 'invite_invalid')
  accept(@CurrentUser() user: AuthUser, @Param() params: InviteCodeParamDto): Promise<RoomViewDto> {
    return this.invites.accept(user, params.code);
  }
}
