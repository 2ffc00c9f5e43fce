/**
 * Where "who is typing" lives: in this process, or in Redis shared by every instance, so that an
 * indicator started through one instance is refreshed, stopped or expired through any other (the
 * typist's tabs may be connected to different instances). Each method decides atomically, so of
 * two instances racing over one indicator exactly one is told to announce the change. Times are
 * epoch milliseconds passed in by the caller (tests drive the clock).
 *
 * Per (room, user) the store keeps: the connection that last refreshed the indicator, when it did,
 * and when the indicator was last announced.
 */
export interface TypingStore {
  /**
   * Starts or refreshes the indicator for `connectionId`. Answers whether to announce it: when it
   * is new, or was last announced `rebroadcastAfterMs` or longer ago (the announcement is recorded).
   */
  start(room: string, userId: string, connectionId: string, now: number): Promise<boolean>;
  /**
   * Ends the indicator, only if `connectionId` (when given) is the one keeping it up. Answers
   * whether there was one to end (announce that it stopped).
   */
  stop(room: string, userId: string, connectionId?: string): Promise<boolean>;
  /** Ends the indicator if it was not refreshed for `expiresMs`; answers whether it ended. */
  expire(room: string, userId: string, now: number): Promise<boolean>;
  close(): Promise<void>;
}

export const TYPING_STORE = Symbol('TypingStore');

export interface TypingTimes {
  /** Without a refresh for this long, an indicator ends. */
  expiresMs: number;
  /** Refreshes closer together than this are not announced again. */
  rebroadcastAfterMs: number;
}

interface Indicator {
  connectionId: string;
  refreshedAt: number;
  announcedAt: number;
}

/** Typing of a single server process: every method runs to its end before it resolves. */
export class LocalTypingStore implements TypingStore {
  private readonly indicators = new Map<string, Indicator>();

  constructor(private readonly times: TypingTimes) {}

  start(room: string, userId: string, connectionId: string, now: number): Promise<boolean> {
    const key = indicatorKey(room, userId);
    const existing = this.indicators.get(key);
    const announce = !existing || now - existing.announcedAt >= this.times.rebroadcastAfterMs;
    this.indicators.set(key, {
      connectionId,
      refreshedAt: now,
      announcedAt: announce ? now : (existing?.announcedAt ?? now),
    });
    return Promise.resolve(announce);
  }

  stop(room: string, userId: string, connectionId?: string): Promise<boolean> {
    const key = indicatorKey(room, userId);
    const existing = this.indicators.get(key);
    if (!existing || (connectionId !== undefined && existing.connectionId !== connectionId)) {
      return Promise.resolve(false);
    }
    this.indicators.delete(key);
    return Promise.resolve(true);
  }

  expire(room: string, userId: string, now: number): Promise<boolean> {
    const key = indicatorKey(room, userId);
    const existing = this.indicators.get(key);
    if (!existing || now - existing.refreshedAt < this.times.expiresMs) {
      return Promise.resolve(false);
    }
    this.indicators.delete(key);
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    this.indicators.clear();
    return Promise.resolve();
  }
}

export function indicatorKey(room: string, userId: string): string {
  return `${room}:${userId}`;
}
