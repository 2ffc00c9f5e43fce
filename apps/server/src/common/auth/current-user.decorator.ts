import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppException } from '../errors/app-exception';
import type { AuthenticatedRequest, AuthUser } from './auth-user';

/** The user the `AuthGuard` authenticated; using it on an unguarded route is a programming error. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => {
    const { user } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!user) throw new AppException('unauthorized', 'A valid bearer token is required');
    return user;
  },
);
