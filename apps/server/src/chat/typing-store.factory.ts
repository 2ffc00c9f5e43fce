import { Logger } from '@nestjs/common';
import { TYPING_EXPIRES_MS } from '@parley/contracts';
import { connectRedis } from '../common/redis/connect-redis';
import { type AppConfig } from '../config/app-config';
import { RedisTypingStore } from './redis-typing-store';
import { LocalTypingStore, type TypingStore, type TypingTimes } from './typing-store';

/** Clients refresh every 2 s; refreshes closer together than this are not announced again. */
export const DEFAULT_TYPING_TIMES: TypingTimes = {
  expiresMs: TYPING_EXPIRES_MS,
  rebroadcastAfterMs: 1_000,
};

/** In this process, or with `REDIS_URL` (as presence and the rate limits) in Redis. */
export function createTypingStore(config: AppConfig, times: TypingTimes): TypingStore {
  if (!config.redisUrl) return new LocalTypingStore(times);
  const redis = connectRedis(
    config.redisUrl,
    {
      connectionName: 'parley-typing',
      // Indicators are worth little once late: fail fast rather than queue through an outage.
      commandTimeout: 1000,
      maxRetriesPerRequest: 1,
    },
    new Logger('TypingStore'),
    { down: 'typing indicators pause until it is back', back: 'typing indicators resume' },
  );
  return new RedisTypingStore(redis, times);
}
