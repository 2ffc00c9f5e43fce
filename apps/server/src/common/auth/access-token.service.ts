import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config';
import type { AuthUser } from './auth-user';

export const TOKEN_ISSUER = 'parley';
export const TOKEN_AUDIENCE = 'parley';
export const TOKEN_ALGORITHM = 'HS256';

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

interface AccessTokenClaims {
  sub: string;
  username: string;
  name: string;
}

/**
 * Issues and checks access tokens. Usernames and display names are immutable, so the token can
 * carry them and neither REST nor the socket handshake needs a database read per request.
 */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /** `ttlSeconds` defaults to `ACCESS_TOKEN_TTL`; tests pass a negative one to mint an expired token. */
  async issue(
    user: AuthUser,
    ttlSeconds = this.config.accessTokenTtlSeconds,
  ): Promise<IssuedAccessToken> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      name: user.displayName,
    };
    const issuedAt = Math.floor(Date.now() / 1000);
    const token = await this.jwt.signAsync({ ...claims, iat: issuedAt }, { expiresIn: ttlSeconds });
    return { token, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
  }

  /** Resolves to the user, or `null` for a missing, forged, expired or foreign token. */
  async verify(token: unknown): Promise<AuthUser | null> {
    if (typeof token !== 'string' || token.length === 0) return null;
    try {
      const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token);
      const { sub, username, name } = claims;
      if (typeof sub !== 'string' || typeof username !== 'string' || typeof name !== 'string') {
        return null;
      }
      return { id: sub, username, displayName: name };
    } catch {
      return null;
    }
  }
}
