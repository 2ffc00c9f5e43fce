import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { UserTypingDto } from '@parley/contracts';
import { roomChannel, userChannel } from './channels';
import type { ChatServer, ChatSocket } from './chat-socket';
import { indicatorKey, TYPING_STORE, type TypingStore, type TypingTimes } from './typing-store';

type Typist = UserTypingDto['user'];

/** What this instance started: it arms the expiry and ends it when the connection goes. */
interface LocalIndicator {
  room: string;
  user: Typist;
  connectionId: string;
  expiry: ReturnType<typeof setTimeout>;
}

export const TYPING_TIMES = Symbol('TypingTimes');

/**
 * "Ann is typing…": one indicator per (room, user) across every instance (the store decides),
 * announced to the room's other members (not to the typist's own tabs), ended by `typing false`,
 * a sent message, leaving, disconnecting the connection that kept it up, or `expiresMs` without a
 * refresh. Clients also hide an indicator after `expiresInMs`, so one whose instance died does not
 * stay on screen either. A store failure (Redis down) costs indicators, never the event: it is
 * logged, and the caller's ack does not wait for it.
 */
@Injectable()
export class TypingIndicators implements OnApplicationShutdown {
  private server?: ChatServer;
  private readonly logger = new Logger(TypingIndicators.name);
  /** Indicators refreshed through this instance, by `indicatorKey`. */
  private readonly local = new Map<string, LocalIndicator>();

  constructor(
    @Inject(TYPING_STORE) private readonly store: TypingStore,
    @Inject(TYPING_TIMES) private readonly times: TypingTimes,
  ) {}

  attach(server: ChatServer): void {
    this.server = server;
  }

  /** Starts or refreshes the socket's user's indicator in a room the socket has joined. */
  start(socket: ChatSocket, room: string): Promise<void> {
    const { id, username, displayName } = socket.data.user;
    const user = { id, username, displayName };
    const key = indicatorKey(room, id);
    const previous = this.local.get(key);
    if (previous) clearTimeout(previous.expiry);
    const expiry = setTimeout(() => void this.expire(room, user), this.times.expiresMs);
    expiry.unref();
    this.local.set(key, { room, user, connectionId: socket.id, expiry });
    return this.decide(
      'start',
      this.store.start(room, id, socket.id, Date.now()),
      room,
      user,
      true,
    );
  }

  /** Ends a user's indicator in a room, whichever instance or tab keeps it up. */
  stop(room: string, { id, username, displayName }: Typist): Promise<void> {
    const user = { id, username, displayName };
    this.forget(indicatorKey(room, id));
    return this.decide('stop', this.store.stop(room, user.id), room, user, false);
  }

  /** A socket went away: end the indicators it was keeping up (not those another tab refreshed). */
  stopAllOf(socket: ChatSocket): Promise<void> {
    const ending: Promise<void>[] = [];
    for (const [key, indicator] of this.local) {
      if (indicator.connectionId !== socket.id) continue;
      this.forget(key);
      const { room, user } = indicator;
      ending.push(
        this.decide('stop', this.store.stop(room, user.id, socket.id), room, user, false),
      );
    }
    return Promise.all(ending).then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const indicator of this.local.values()) clearTimeout(indicator.expiry);
    this.local.clear();
    await this.store.close();
  }

  private expire(room: string, user: Typist): Promise<void> {
    this.local.delete(indicatorKey(room, user.id));
    return this.decide('expire', this.store.expire(room, user.id, Date.now()), room, user, false);
  }

  private forget(key: string): void {
    const indicator = this.local.get(key);
    if (!indicator) return;
    clearTimeout(indicator.expiry);
    this.local.delete(key);
  }

  /** Announces when the store says so; a failing store is logged, never thrown at the caller. */
  private async decide(
    action: string,
    decision: Promise<boolean>,
    room: string,
    user: Typist,
    isTyping: boolean,
  ): Promise<void> {
    try {
      if (await decision) this.broadcast(room, user, isTyping);
    } catch (error) {
      this.logger.warn(
        `typing ${action} in ${room} not decided: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private broadcast(room: string, user: Typist, isTyping: boolean): void {
    const event: UserTypingDto = {
      room,
      user,
      isTyping,
      expiresInMs: isTyping ? this.times.expiresMs : 0,
    };
    this.server?.to(roomChannel(room)).except(userChannel(user.id)).emit('user_typing', event);
  }
}
