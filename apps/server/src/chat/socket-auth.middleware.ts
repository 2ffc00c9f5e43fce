import type { AccessTokenService } from '../common/auth/access-token.service';
import type { ChatSocket } from './chat-socket';

/** socket.io sends `message` and `data` to the client's `connect_error` listener. */
export class SocketAuthError extends Error {
  readonly data = { code: 'unauthorized' as const };

  constructor() {
    super('unauthorized');
  }
}

/**
 * Handshake authentication (`io(url, { auth: { token } })`). It runs before the connection exists,
 * which Nest guards cannot do; a refused client never reaches a handler.
 */
export function socketAuthMiddleware(tokens: AccessTokenService) {
  return (socket: ChatSocket, next: (error?: Error) => void): void => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    tokens.verify(token).then(
      (user) => {
        if (!user) return next(new SocketAuthError());
        socket.data.user = user;
        // Verified once, never read again: one copy of a credential fewer in memory per socket.
        if (typeof auth === 'object' && auth !== null) delete (auth as { token?: unknown }).token;
        next();
      },
      () => next(new SocketAuthError()),
    );
  };
}
