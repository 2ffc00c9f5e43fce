import { Controller, Get, HttpStatus, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { UserDto } from '@parley/contracts';
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

@ApiTags('users')
@ApiBearerAuth(BEARER_AUTH)
@UseGuards(AuthGuard)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The signed-in user',
    schema: contractSchema(UserDto, USER_EXAMPLE),
  })
  @ApiErrors('unauthorized', 'user_not_found')
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.getById(user.id);
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
