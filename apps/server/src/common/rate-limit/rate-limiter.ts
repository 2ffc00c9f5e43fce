import type Redis from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppException } from '../errors/app-exception';

/** Every key a limiter writes to Redis starts with this, then the limiter's name. */
export const REDIS_KEY_PREFIX = 'parley:rl:';

export interface LimiterStoreOptions {
  /** `points` per `durationSeconds`. */
  points: number;
  durationSeconds: number;
}

export interface RateLimitRule extends LimiterStoreOptions {
  /** Extra allowance drawn only once the steady one is spent, refilled per `burstDurationSeconds`. */
  burstPoints?: number;
  burstDurationSeconds?: number;
}

/** What callers need from a limiter, whichever store backs it. */
export interface RateLimiter {
  /** Resolves when allowed; throws `AppException('rate_limited')` with `retryAfterMs` when not. */
  consume(key: string): Promise<void>;
}

/**
 * The one place that picks a store. Without Redis the counters live in this process. With Redis
 * they are shared by every process pointing at it, and a Redis that is down or slow fails open to
 * an in-memory twin with the same numbers (ADR 0007): limits become per process for the outage
 * instead of every sign-in and message failing.
 */
export function createLimiterStore(
  name: string,
  options: LimiterStoreOptions,
  redis?: Redis,
): RateLimiterAbstract {
  const common = { points: options.points, duration: options.durationSeconds };
  if (!redis) return new RateLimiterMemory({ ...common, keyPrefix: name });
  return new RateLimiterRedis({
    ...common,
    keyPrefix: `${REDIS_KEY_PREFIX}${name}`,
    storeClient: redis,
    // Not connected (yet, or any more): go straight to the insurance limiter rather than queue.
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ ...common, keyPrefix: name }),
  });
}

/** `consume`-only limiter for a rule, mapping "over the limit" to `rate_limited`. */
export function createRateLimiter(name: string, rule: RateLimitRule, redis?: Redis): RateLimiter {
  const steady = createLimiterStore(name, rule, redis);
  const limiter =
    rule.burstPoints === undefined
      ? steady
      : new BurstyRateLimiter(
          steady,
          createLimiterStore(
            `${name}:burst`,
            {
              points: rule.burstPoints,
              durationSeconds: rule.burstDurationSeconds ?? rule.durationSeconds,
            },
            redis,
          ),
        );
  return {
    consume: async (key) => {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        throw new AppException('rate_limited', 'Too many requests; slow down', {
          retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)),
        });
      }
    },
  };
}
