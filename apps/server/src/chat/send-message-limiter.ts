import { Injectable } from '@nestjs/common';
import type { RateLimitRule, RateLimiter } from '../common/rate-limit/rate-limiter';
import { RateLimitStore } from '../common/rate-limit/rate-limit-store';

/**
 * 10 messages per 10 s per user, with a burst of 20: the steady bucket (10 per 10 s) is spent
 * first, then a second one of 10 that refills per minute. rate-limiter-flexible has no continuous
 * token bucket; this pair (its BurstyRateLimiter) gives the same numbers a user notices (20 in a
 * burst, 10 per 10 s sustained) and has a Redis twin for every part.
 */
export const SEND_MESSAGE_RULE: RateLimitRule = {
  points: 10,
  durationSeconds: 10,
  burstPoints: 10,
  burstDurationSeconds: 60,
};

@Injectable()
export class SendMessageLimiter {
  private readonly limiter: RateLimiter;

  constructor(store: RateLimitStore) {
    this.limiter = store.createRateLimiter('send_message', SEND_MESSAGE_RULE);
  }

  consume(userId: string): Promise<void> {
    return this.limiter.consume(userId);
  }
}
