import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { AppException } from '../errors/app-exception';
import { AccessTokenService } from './access-token.service';
import type { AuthenticatedRequest } from './auth-user';

/** REST only: sockets authenticate once, in the handshake middleware. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly tokens: AccessTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const [scheme, token] = (request.headers.authorization ?? '').split(' ');
    const user = scheme?.toLowerCase() === 'bearer' ? await this.tokens.verify(token) : null;
    if (!user) throw new AppException('unauthorized', 'A valid bearer token is required');
    request.user = user;
    return true;
  }
}
