import { Injectable } from '@nestjs/common';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { AppException } from '../common/errors/app-exception';
import { RateLimitStore } from '../common/rate-limit/rate-limit-store';
import { AppConfig } from '../config/app-config';

export type ThrottledAction = 'login' | 'register';

/**
 * Brute-force protection for password sign-in:
 * - per client IP: `attemptsPerIp` login (and, separately, register) attempts per window, counted
 *   whether they succeed or not; the next one is `rate_limited` with `retryAfterMs`;
 * - per account: `failuresBeforeLock` wrong passwords within the failure window lock the account
 *   for `lockSeconds`, during which even the right password is refused with `account_locked`.
 *   Unknown usernames are counted the same way, so a lock does not reveal whether an account exists.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: Record<ThrottledAction, RateLimiterAbstract>;
  private readonly failures: RateLimiterAbstract;
  private readonly failuresBeforeLock: number;
  private readonly lockSeconds: number;

  constructor(config: AppConfig, store: RateLimitStore) {
    const limits = config.loginLimits;
    const ipOptions = { points: limits.attemptsPerIp, durationSeconds: limits.ipWindowSeconds };
    this.perIp = {
      login: store.createStore('login-ip', ipOptions),
      register: store.createStore('register-ip', ipOptions),
    };
    this.failures = store.createStore('login-failures', {
      points: limits.failuresBeforeLock,
      durationSeconds: limits.failureWindowSeconds,
    });
    this.failuresBeforeLock = limits.failuresBeforeLock;
    this.lockSeconds = limits.lockSeconds;
  }

  /** Counts one attempt from `ip`; throws `rate_limited` once the IP is over its budget. */
  async consumeAttempt(action: ThrottledAction, ip: string): Promise<void> {
    try {
      await this.perIp[action].consume(ip);
    } catch (rejection) {
      // Over the limit it rejects with a RateLimiterRes; a failing store rejects with an Error.
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      throw new AppException('rate_limited', 'Too many attempts; try again later', {
        retryAfterMs: Math.max(0, Math.ceil(rejection.msBeforeNext)),
      });
    }
  }

  /** Throws `account_locked` while the account is locked. */
  async assertNotLocked(username: string): Promise<void> {
    const state = await this.failures.get(username);
    if (state && state.consumedPoints > this.failuresBeforeLock) {
      throw new AppException('account_locked', 'Too many failed sign-ins; try again later', {
        retryAfterMs: Math.max(0, Math.ceil(state.msBeforeNext)),
      });
    }
  }

  /** Records a wrong password; the failure that reaches the limit starts the lock. */
  async recordFailure(username: string): Promise<void> {
    const state = await this.failures.penalty(username);
    if (state.consumedPoints >= this.failuresBeforeLock) {
      // `block` stores points + 1 for the lock duration, which `assertNotLocked` reads as locked.
      await this.failures.block(username, this.lockSeconds);
    }
  }

  async recordSuccess(username: string): Promise<void> {
    await this.failures.delete(username);
  }
}
