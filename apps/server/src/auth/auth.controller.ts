import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthSessionDto, GuestSignInDto } from '@parley/contracts';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { USER_EXAMPLE } from '../users/users.controller';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('guest')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Sign in as a guest',
    description:
      'Creates a user with the given username and returns an access token for REST ' +
      '(`Authorization: Bearer …`) and the socket handshake (`auth: { token }`).',
  })
  @ApiBody({ schema: contractSchema(GuestSignInDto, { username: 'ann', displayName: 'Ann' }) })
  @ApiResponse({
    status: HttpStatus.CREATED,
    description: 'The new user and their access token',
    schema: contractSchema(AuthSessionDto, {
      accessToken: 'eyJhbGciOiJIUzI1NiIs…',
      user: USER_EXAMPLE,
    }),
  })
  @ApiErrors('validation_failed', 'username_taken')
  signInAsGuest(@Body() input: GuestSignInDto): Promise<AuthSessionDto> {
    return this.auth.signInAsGuest(input);
  }
}
