import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthSessionDto,
  ClaimAccountDto,
  GuestSignInDto,
  LoginDto,
  RegisterDto,
} from '@parley/contracts';
import type { Request, Response } from 'express';
import { AuthGuard } from '../common/auth/auth.guard';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/current-user.decorator';
import { AppException } from '../common/errors/app-exception';
import { ApiErrors, contractSchema } from '../openapi/api-docs.decorators';
import { BEARER_AUTH } from '../openapi/openapi';
import { USER_EXAMPLE } from '../users/users.controller';
import { AuthService, type SignedIn } from './auth.service';
import {
  clearRefreshCookie,
  readRefreshCookie,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  setRefreshCookie,
} from './refresh-cookie';

const SESSION_EXAMPLE: AuthSessionDto = {
  accessToken: 'eyJhbGciOiJIUzI1NiIs…',
  accessTokenExpiresAt: '2026-01-01T12:15:00.000Z',
  user: USER_EXAMPLE,
};

const SET_COOKIE_HEADER = {
  'Set-Cookie': {
    description:
      `\`${REFRESH_COOKIE}\`: the refresh token (HttpOnly, SameSite=Strict, Path=${REFRESH_COOKIE_PATH}, ` +
      'Secure over HTTPS). Valid for REFRESH_TOKEN_TTL (30 days) and replaced on every refresh.',
    schema: { type: 'string' },
  },
};

function sessionResponse(status: HttpStatus, description: string) {
  return ApiResponse({
    status,
    description,
    headers: SET_COOKIE_HEADER,
    schema: contractSchema(AuthSessionDto, SESSION_EXAMPLE),
  });
}

/** Behind a proxy this is the client's address only when `TRUST_PROXY` says which hops to believe. */
function clientIp(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('guest')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Sign in as a guest',
    description:
      'Creates a user with the given username (no password) and starts a session: an access token ' +
      'for REST (`Authorization: Bearer …`) and the socket handshake (`auth: { token }`), and a ' +
      'refresh cookie. A guest can keep the name with `POST /api/auth/claim`.',
  })
  @ApiBody({ schema: contractSchema(GuestSignInDto, { username: 'ann', displayName: 'Ann' }) })
  @sessionResponse(HttpStatus.CREATED, 'The new user and their session')
  @ApiErrors('validation_failed', 'username_taken')
  async signInAsGuest(
    @Body() input: GuestSignInDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthSessionDto> {
    return this.withCookie(request, response, await this.auth.signInAsGuest(input));
  }

  @Post('register')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create an account with a password',
    description:
      'Password: 8–256 characters, not a common password and not containing the username. ' +
      'At most 5 attempts per minute per IP.',
  })
  @ApiBody({
    schema: contractSchema(RegisterDto, {
      username: 'ann',
      password: 'a long passphrase',
      displayName: 'Ann',
    }),
  })
  @sessionResponse(HttpStatus.CREATED, 'The new account and its session')
  @ApiErrors('validation_failed', 'weak_password', 'username_taken', 'rate_limited')
  async register(
    @Body() input: RegisterDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthSessionDto> {
    return this.withCookie(request, response, await this.auth.register(input, clientIp(request)));
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Sign in with username and password',
    description:
      'Unknown username and wrong password give the same `invalid_credentials`. At most 5 ' +
      'attempts per minute per IP (`rate_limited`); 10 wrong passwords within 15 minutes lock the ' +
      'account for 15 minutes (`account_locked`, even with the right password). Both carry ' +
      '`details.retryAfterMs`.',
  })
  @ApiBody({ schema: contractSchema(LoginDto, { username: 'ann', password: 'a long passphrase' }) })
  @sessionResponse(HttpStatus.OK, 'The account and a new session')
  @ApiErrors('validation_failed', 'invalid_credentials', 'rate_limited', 'account_locked')
  async login(
    @Body() input: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthSessionDto> {
    return this.withCookie(request, response, await this.auth.login(input, clientIp(request)));
  }

  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Renew the access token',
    description:
      `Reads the \`${REFRESH_COOKIE}\` cookie (no body), answers a new access token and replaces ` +
      'the cookie. A token can be used once: presenting an already-used one ends that session ' +
      'everywhere (`session_expired`).',
  })
  @sessionResponse(HttpStatus.OK, 'A new access token and the user')
  @ApiErrors('session_expired')
  async refresh(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthSessionDto> {
    try {
      return this.withCookie(
        request,
        response,
        await this.auth.refresh(readRefreshCookie(request)),
      );
    } catch (error) {
      if (error instanceof AppException && error.code === 'session_expired') {
        clearRefreshCookie(request, response);
      }
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Sign out',
    description: `Revokes the session of the \`${REFRESH_COOKIE}\` cookie and clears it. Always 204.`,
  })
  @ApiResponse({ status: HttpStatus.NO_CONTENT, description: 'Signed out' })
  @ApiErrors()
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.auth.logout(readRefreshCookie(request));
    clearRefreshCookie(request, response);
  }

  @Post('claim')
  @HttpCode(HttpStatus.OK)
  @UseGuards(AuthGuard)
  @ApiBearerAuth(BEARER_AUTH)
  @ApiOperation({
    summary: 'Keep your guest name by setting a password',
    description:
      'Turns the signed-in guest into a registered account; afterwards `POST /api/auth/login` ' +
      'works with the username and this password. The current session stays valid.',
  })
  @ApiBody({ schema: contractSchema(ClaimAccountDto, { password: 'a long passphrase' }) })
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'The now registered user and a fresh access token',
    schema: contractSchema(AuthSessionDto, {
      ...SESSION_EXAMPLE,
      user: { ...USER_EXAMPLE, registered: true },
    }),
  })
  @ApiErrors('validation_failed', 'unauthorized', 'weak_password', 'already_registered')
  claim(@CurrentUser() user: AuthUser, @Body() input: ClaimAccountDto): Promise<AuthSessionDto> {
    return this.auth.claim(user, input);
  }

  private withCookie(request: Request, response: Response, signedIn: SignedIn): AuthSessionDto {
    setRefreshCookie(request, response, signedIn.refresh);
    return signedIn.session;
  }
}
