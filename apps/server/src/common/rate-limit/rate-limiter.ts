import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppException } from '../errors/app-exception';

export interface RateLimitRule {
  /** Steady allowance: `points` per `durationSeconds`. */
  points: number;
  durationSeconds: number;
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
 * The one place that picks a store. Memory is per process; with several processes this is where a
 * `RateLimiterRedis` (same options plus `storeClient`) would be built when `REDIS_URL` is set.
 */
function createStoreLimiter(keyPrefix: string, points: number, duration: number) {
  return new RateLimiterMemory({ keyPrefix, points, duration });
}

export function createRateLimiter(name: string, rule: RateLimitRule): RateLimiter {
  const steady: RateLimiterAbstract = createStoreLimiter(name, rule.points, rule.durationSeconds);
  const limiter =
    rule.burstPoints === undefined
      ? steady
      : new BurstyRateLimiter(
          steady,
          createStoreLimiter(
            `${name}:burst`,
            rule.burstPoints,
            rule.burstDurationSeconds ?? rule.durationSeconds,
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
