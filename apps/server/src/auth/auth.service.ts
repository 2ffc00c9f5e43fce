import { Injectable } from '@nestjs/common';
import {
  type AuthSessionDto,
  type ClaimAccountDto,
  type GuestSignInDto,
  isCommonPassword,
  type LoginDto,
  type RegisterDto,
  type UserDto,
} from '@parley/contracts';
import { AccessTokenService } from '../common/auth/access-token.service';
import type { AuthUser } from '../common/auth/auth-user';
import { AppException } from '../common/errors/app-exception';
import { assertUsernameAllowed } from '../users/reserved-usernames';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { type IssuedRefreshToken, RefreshTokensService } from './refresh-tokens.service';

/** What the controller returns in the body, plus the refresh token it puts in the cookie. */
export interface SignedIn {
  session: AuthSessionDto;
  refresh: IssuedRefreshToken;
}

const INVALID_CREDENTIALS = 'Wrong username or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  /** A guest account is just a unique handle; its sessions are its only credential. */
  async signInAsGuest(input: GuestSignInDto): Promise<SignedIn> {
    const user = await this.users.create(input.username, input.displayName ?? input.username);
    return this.startSession(user);
  }

  async register(input: RegisterDto, ip: string): Promise<SignedIn> {
    await this.throttle.consumeAttempt('register', ip);
    assertUsernameAllowed(input.username);
    assertStrongPassword(input.password, input.username);
    // Refuse a taken name before paying for a hash (the unique index still decides races).
    const existing = await this.users.findCredentials(input.username);
    if (existing) {
      throw new AppException('username_taken', `The username "${input.username}" is already taken`);
    }
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.create(
      input.username,
      input.displayName ?? input.username,
      passwordHash,
    );
    return this.startSession(user);
  }

  /**
   * Unknown user, guest without a password and wrong password all answer `invalid_credentials`
   * after the same argon2 work, and all count towards the account's lock.
   */
  async login(input: LoginDto, ip: string): Promise<SignedIn> {
    await this.throttle.consumeAttempt('login', ip);
    await this.throttle.assertNotLocked(input.username);
    const credentials = await this.users.findCredentials(input.username);
    const valid = await this.passwords.verify(credentials?.passwordHash, input.password);
    if (!credentials || !valid) {
      await this.throttle.recordFailure(input.username);
      throw new AppException('invalid_credentials', INVALID_CREDENTIALS);
    }
    await this.throttle.recordSuccess(input.username);
    return this.startSession(credentials.user);
  }

  /** Rotates the refresh token and issues a new access token for its user. */
  async refresh(refreshToken: string | undefined): Promise<SignedIn> {
    const rotated = await this.refreshTokens.rotate(refreshToken);
    const user = await this.users.getById(rotated.userId).catch((error: unknown) => {
      if (error instanceof AppException && error.code === 'user_not_found') {
        throw new AppException('session_expired', 'The session has ended; sign in again');
      }
      throw error;
    });
    return {
      session: await this.sessionFor(user),
      refresh: { token: rotated.token, expiresAt: rotated.expiresAt },
    };
  }

  logout(refreshToken: string | undefined): Promise<void> {
    return this.refreshTokens.revoke(refreshToken);
  }

  /** A guest keeps their name by setting a password; the current session stays valid. */
  async claim(caller: AuthUser, input: ClaimAccountDto): Promise<AuthSessionDto> {
    // A guest who got the name before it was reserved keeps it, but cannot make it permanent.
    assertUsernameAllowed(caller.username);
    assertStrongPassword(input.password, caller.username);
    const passwordHash = await this.passwords.hash(input.password);
    const user = await this.users.setPasswordIfGuest(caller.id, passwordHash);
    return this.sessionFor(user);
  }

  private async startSession(user: UserDto): Promise<SignedIn> {
    const [session, refresh] = await Promise.all([
      this.sessionFor(user),
      this.refreshTokens.issue(user.id),
    ]);
    return { session, refresh };
  }

  private async sessionFor(user: UserDto): Promise<AuthSessionDto> {
    const access = await this.accessTokens.issue(user);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      user,
    };
  }
}

/** Length is the contract's job; this refuses the passwords attackers try first. */
function assertStrongPassword(password: string, username: string): void {
  if (isCommonPassword(password) || password.toLowerCase().includes(username.toLowerCase())) {
    throw new AppException(
      'weak_password',
      'That password is too easy to guess: avoid common passwords and your username',
    );
  }
}
