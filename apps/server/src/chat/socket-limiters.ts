import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { RateLimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';
import { RateLimitStore } from '../common/rate-limit/rate-limit-store';
import { AppConfig } from '../config/app-config';
import type { ChatSocket } from './chat-socket';

/**
 * `per10Seconds` per 10 s, with a burst of twice that: the steady bucket is spent first, then a
 * second one of as many again that refills per minute. rate-limiter-flexible has no continuous
 * token bucket; this pair (its BurstyRateLimiter) gives the numbers a user notices (2n in a burst,
 * n per 10 s sustained) and has a Redis twin for every part.
 */
export function per10SecondsRule(per10Seconds: number): RateLimitRule {
  return {
    points: per10Seconds,
    durationSeconds: 10,
    burstPoints: per10Seconds,
    burstDurationSeconds: 60,
  };
}

/** `send_message` per user: by default 10 per 10 s, 20 in a burst (`SEND_MESSAGES_PER_10_SECONDS`). */
@Injectable()
export class SendMessageLimiter {
  private readonly limiter: RateLimiter;

  constructor(store: RateLimitStore, config: AppConfig) {
    this.limiter = store.createRateLimiter(
      'send_message',
      per10SecondsRule(config.sendMessagesPer10Seconds),
    );
  }

  consume(userId: string): Promise<void> {
    return this.limiter.consume(userId);
  }
}

/**
 * Every socket event a user sends costs one point of one bucket: by default 100 per 10 s, 200 in
 * a burst (`SOCKET_EVENTS_PER_10_SECONDS`); `send_message` pays here too, and its own limit
 * besides. A busy browser tab sends about 25 per 10 s at most (`mark_read` twice a second,
 * `typing` every 2 s; rooms are followed on connection, not joined one by one). A client sending
 * hundreds is a script, and each of its events would still reach the database or a whole room
 * (join and leave notices, reactions, `sync` reading every room it names). Over the limit the
 * event is refused with `rate_limited` and `retryAfterMs`, and nothing else happens; the
 * connection stays.
 */
@Injectable()
export class SocketEventLimiter implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(store: RateLimitStore, config: AppConfig) {
    this.limiter = store.createRateLimiter(
      'socket_event',
      per10SecondsRule(config.socketEventsPer10Seconds),
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const socket = context.switchToWs().getClient<ChatSocket>();
    await this.limiter.consume(socket.data.user.id);
    return true;
  }
}
