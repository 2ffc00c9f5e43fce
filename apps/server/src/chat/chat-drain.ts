import { Injectable, Logger } from '@nestjs/common';
import { AppException } from '../common/errors/app-exception';
import type { ChatServer } from './chat-socket';

/** How long a graceful shutdown waits for socket handlers already running (writes in flight). */
export const DRAIN_TIMEOUT_MS = 5_000;

export function shuttingDown(): AppException {
  return new AppException('unavailable', 'The server is restarting; your client will reconnect');
}

/**
 * Graceful shutdown of the socket side, run before Nest tears anything down: refuse new
 * connections and new events with `unavailable`, let the handlers already running finish (their
 * writes complete and their acks go out), then close every connection at the transport level —
 * which Socket.IO clients treat as a drop and reconnect from, to another instance or to this one
 * restarted, and catch up with `sync`.
 */
@Injectable()
export class ChatDrain {
  private readonly logger = new Logger('Shutdown');
  private server?: ChatServer;
  private draining = false;
  private inFlight = 0;
  private readonly idleWaiters = new Set<() => void>();

  attach(server: ChatServer): void {
    this.server = server;
    server.use((_socket, next) => (this.draining ? next(shuttingDown()) : next()));
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Counts a handler as in flight until `done` is called; refuses it while draining. */
  begin(): () => void {
    if (this.draining) throw shuttingDown();
    this.inFlight += 1;
    let finished = false;
    return () => {
      if (finished) return;
      finished = true;
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idleWaiters.forEach((wake) => wake());
    };
  }

  /** Resolves once nothing is in flight, or after `timeoutMs`; says which. */
  private whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve(false);
      }, timeoutMs);
      this.idleWaiters.add(wake);
    });
  }

  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const pending = this.inFlight;
    const finished = await this.whenIdle(timeoutMs);
    const sockets = this.server ? [...this.server.of('/').sockets.values()] : [];
    // Closing the transport (not `socket.disconnect()`, which clients take as "do not come back")
    // makes every client reconnect by itself.
    for (const socket of sockets) socket.conn.close();
    this.logger.log(
      `drained: ${pending} socket event(s) were in flight${finished ? '' : `, ${this.inFlight} still running after ${timeoutMs} ms`}; closed ${sockets.length} connection(s)`,
    );
  }
}
