import { Injectable } from '@nestjs/common';
import type { AuthSessionDto, GuestSignInDto } from '@parley/contracts';
import { AccessTokenService } from '../common/auth/access-token.service';
import { UsersService } from '../users/users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccessTokenService,
  ) {}

  /** A guest account is just a unique handle; the token is the only credential. */
  async signInAsGuest(input: GuestSignInDto): Promise<AuthSessionDto> {
    const user = await this.users.create(input.username, input.displayName ?? input.username);
    return { accessToken: await this.tokens.issue(user), user };
  }
}
