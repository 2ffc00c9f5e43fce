import { Injectable } from '@nestjs/common';
import type { RateLimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';
import { RateLimitStore } from '../common/rate-limit/rate-limit-store';
import { AppConfig } from '../config/app-config';

/**
 * By default 10 messages per 10 s per user, with a burst of 20: the steady bucket (10 per 10 s) is
 * spent first, then a second one of 10 that refills per minute. rate-limiter-flexible has no
 * continuous token bucket; this pair (its BurstyRateLimiter) gives the same numbers a user notices
 * (20 in a burst, 10 per 10 s sustained) and has a Redis twin for every part.
 * `SEND_MESSAGES_PER_10_SECONDS` scales both buckets.
 */
export function sendMessageRule(per10Seconds: number): RateLimitRule {
  return {
    points: per10Seconds,
    durationSeconds: 10,
    burstPoints: per10Seconds,
    burstDurationSeconds: 60,
  };
}

@Injectable()
export class SendMessageLimiter {
  private readonly limiter: RateLimiter;

  constructor(store: RateLimitStore, config: AppConfig) {
    this.limiter = store.createRateLimiter(
      'send_message',
      sendMessageRule(config.sendMessagesPer10Seconds),
    );
  }

  consume(userId: string): Promise<void> {
    return this.limiter.consume(userId);
  }
}
