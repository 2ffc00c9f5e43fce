import { Body, Controller, Get, HttpStatus, Param, Patch, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  MeDto,
  SearchUsersQueryDto,
  UpdateMeDto,
  USER_SEARCH_MAX,
  UserDto,
} from '@parley/contracts';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { UsersService } from './users.service';

export const USER_EXAMPLE: UserDto = {
  id: '665f1c2b1e8a474d7e9a650c',
  username: 'ann',
  displayName: 'Ann',
  registered: false,
  createdAt: '2026-01-01T12:00:00.000Z',
};

const ME_EXAMPLE: MeDto = { ...USER_EXAMPLE, shareReadState: true };

@ApiTags('users')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({
    summary: 'Search users by username',
    description:
      `Up to ${USER_SEARCH_MAX} users whose username starts with \`query\` ` +
      '(case-insensitive), in username order, without the caller: for starting a direct conversation.',
  })
  @ApiQuery({
    name: 'query',
    required: true,
    schema: { type: 'string', minLength: 1, maxLength: 32, example: 'an' },
    description: 'The start of a username',
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'Matching users',
    schema: contractSchema(UserDto, [USER_EXAMPLE], true),
  })
  @ApiErrors('validation_failed', 'unauthorized')
  search(@CurrentUser() user: AuthUser, @Query() query: SearchUsersQueryDto): Promise<UserDto[]> {
    return this.users.search(query.query, user.id);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user, with their settings' })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The signed-in user',
    schema: contractSchema(MeDto, ME_EXAMPLE),
  })
  @ApiErrors('unauthorized', 'user_not_found')
  me(@CurrentUser() user: AuthUser): Promise<MeDto> {
    return this.users.getMe(user.id);
  }

  @Patch('me')
  @ApiOperation({
    summary: 'Change my settings',
    description:
      'Only the fields present change. `shareReadState: false` hides how far I have read ' +
      '("seen by", read receipts) from everyone else.',
  })
  @ApiBody({ schema: contractSchema(UpdateMeDto, { shareReadState: false }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The signed-in user, with the new settings',
    schema: contractSchema(MeDto, { ...ME_EXAMPLE, shareReadState: false }),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'user_not_found')
  updateMe(@CurrentUser() user: AuthUser, @Body() input: UpdateMeDto): Promise<MeDto> {
    return this.users.updateMe(user.id, input);
  }

  @Get(':username')
  @ApiOperation({ summary: 'Look a user up by username', description: 'Case-insensitive.' })
  @ApiParam({
    name: 'username',
    description: 'The user’s handle',
    schema: { type: 'string', example: USER_EXAMPLE.username },
  })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The user',
    schema: contractSchema(UserDto, USER_EXAMPLE),
  })
  @ApiErrors('unauthorized', 'user_not_found')
  byUsername(@Param('username') username: string): Promise<UserDto> {
    return this.users.getByUsername(username);
  }
}
