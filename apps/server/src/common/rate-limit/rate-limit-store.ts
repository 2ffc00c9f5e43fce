import { once } from 'node:events';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config';
import { closeRedis } from '../redis/close-redis';
import { connectRedis } from '../redis/connect-redis';
import {
  createLimiterStore,
  createRateLimiter,
  type LimiterStoreOptions,
  type RateLimiter,
  type RateLimitRule,
} from './rate-limiter';

/** How long boot waits for Redis before starting on the in-memory fallback. */
const CONNECT_WAIT_MS = 5000;

/**
 * Builds every limiter in the app over one store: memory, or one shared Redis client when
 * `REDIS_URL` is set. The client lives and dies with the app.
 */
@Injectable()
export class RateLimitStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitStore.name);
  private readonly redis: Redis | undefined;

  constructor(config: AppConfig) {
    this.redis = config.redisUrl ? this.connect(config.redisUrl) : undefined;
  }

  get backend(): 'memory' | 'redis' {
    return this.redis ? 'redis' : 'memory';
  }

  /** A raw limiter (get, penalty, block, …) named `name`; Redis keys are `parley:rl:<name>:<key>`. */
  createStore(name: string, options: LimiterStoreOptions): RateLimiterAbstract {
    return createLimiterStore(name, options, this.redis);
  }

  createRateLimiter(name: string, rule: RateLimitRule): RateLimiter {
    return createRateLimiter(name, rule, this.redis);
  }

  async onModuleInit(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status === 'ready') return;
    // Start with shared counters when Redis is there; a Redis that is not still lets the app boot.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), CONNECT_WAIT_MS);
    try {
      await once(redis, 'ready', { signal: timeout.signal });
    } catch {
      this.logger.warn('Redis not ready at boot; rate limits are per process until it is');
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis) await closeRedis(this.redis);
  }

  private connect(url: string): Redis {
    return connectRedis(
      url,
      {
        // A limiter must answer now or fall back, never wait in a queue for a reconnect.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 1000,
        connectionName: 'parley-rate-limits',
      },
      this.logger,
      { down: 'rate limits are per process', back: 'rate limits are shared again' },
    );
  }
}
