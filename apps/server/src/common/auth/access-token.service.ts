import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AuthUser } from './auth-user';

export const TOKEN_ISSUER = 'parley';
export const TOKEN_AUDIENCE = 'parley';
export const TOKEN_ALGORITHM = 'HS256';

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
  constructor(private readonly jwt: JwtService) {}

  issue(user: AuthUser): Promise<string> {
    const claims: AccessTokenClaims = {
      sub: user.id,
      username: user.username,
      name: user.displayName,
    };
    return this.jwt.signAsync(claims);
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
