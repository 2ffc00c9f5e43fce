import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { TYPING_EXPIRES_MS, type UserTypingDto } from '@parley/contracts';
import type { ChatServer, ChatSocket } from './chat-socket';
import { roomChannel, userChannel } from './channels';

/** Refreshes closer together than this are not re-broadcast (clients refresh every 2 s). */
const REBROADCAST_AFTER_MS = 1_000;

interface Indicator {
  /** The socket that last refreshed it: its disconnect ends the indicator. */
  socketId: string;
  lastBroadcastAt: number;
  expiry: ReturnType<typeof setTimeout>;
  user: UserTypingDto['user'];
}

/**
 * "Ann is typing…": one indicator per (room, user), broadcast to the room's other members (not to
 * the typist's own tabs), ended by `typing false`, a sent message, leaving, disconnecting, or
 * `TYPING_EXPIRES_MS` without a refresh. Clients also hide an indicator after `expiresInMs`, so one
 * whose server instance died does not stay on screen either.
 */
@Injectable()
export class TypingIndicators implements OnApplicationShutdown {
  private server?: ChatServer;
  private readonly indicators = new Map<string, Indicator>();

  constructor(private readonly expiresMs: number = TYPING_EXPIRES_MS) {}

  attach(server: ChatServer): void {
    this.server = server;
  }

  /** Starts or refreshes the socket's user's indicator in a room the socket has joined. */
  start(socket: ChatSocket, room: string, now = Date.now()): void {
    const { id, username, displayName } = socket.data.user;
    const key = indicatorKey(room, id);
    const existing = this.indicators.get(key);
    if (existing) clearTimeout(existing.expiry);
    const rebroadcast = !existing || now - existing.lastBroadcastAt >= REBROADCAST_AFTER_MS;
    const indicator: Indicator = {
      socketId: socket.id,
      lastBroadcastAt: rebroadcast ? now : (existing?.lastBroadcastAt ?? now),
      expiry: setTimeout(() => this.stop(room, id), this.expiresMs),
      user: { id, username, displayName },
    };
    indicator.expiry.unref();
    this.indicators.set(key, indicator);
    if (rebroadcast) this.broadcast(room, indicator.user, true);
  }

  /** Ends a user's indicator in a room, if there is one. */
  stop(room: string, userId: string): void {
    const key = indicatorKey(room, userId);
    const indicator = this.indicators.get(key);
    if (!indicator) return;
    clearTimeout(indicator.expiry);
    this.indicators.delete(key);
    this.broadcast(room, indicator.user, false);
  }

  /** A socket went away: end the indicators it was keeping up. */
  stopAllOf(socket: ChatSocket): void {
    for (const [key, indicator] of this.indicators) {
      if (indicator.socketId !== socket.id) continue;
      this.stop(roomOfKey(key), indicator.user.id);
    }
  }

  onApplicationShutdown(): void {
    for (const indicator of this.indicators.values()) clearTimeout(indicator.expiry);
    this.indicators.clear();
  }

  private broadcast(room: string, user: UserTypingDto['user'], isTyping: boolean): void {
    const event: UserTypingDto = {
      room,
      user,
      isTyping,
      expiresInMs: isTyping ? this.expiresMs : 0,
    };
    this.server?.to(roomChannel(room)).except(userChannel(user.id)).emit('user_typing', event);
  }
}

function indicatorKey(room: string, userId: string): string {
  return `${room} ${userId}`;
}

function roomOfKey(key: string): string {
  return key.slice(0, key.indexOf(' '));
}
