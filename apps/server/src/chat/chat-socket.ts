import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../common/auth/auth-user';

/** Set by the handshake middleware; every connected socket has it. */
export interface SocketData {
  user: AuthUser;
  /**
   * The user's rooms, read by the handshake middleware and consumed (emptied) when the socket
   * joins their channels on connection.
   */
  roomIds?: string[];
}

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, never, SocketData>;
export type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, never, SocketData>;
