import type { Logger } from '@nestjs/common';
import Redis, { type RedisOptions } from 'ioredis';

/** What an instance's log says when Redis goes away (after the error) and when it is back. */
export interface RedisOutageMessages {
  down: string;
  back: string;
}

/**
 * A Redis client that logs one warning when Redis becomes unreachable and one line when it is
 * back, however many errors and reconnect attempts come in between.
 */
export function connectRedis(
  url: string,
  options: RedisOptions,
  logger: Pick<Logger, 'warn' | 'log'>,
  messages: RedisOutageMessages,
): Redis {
  const redis = new Redis(url, options);
  let outage = false;
  redis.on('error', (error: Error) => {
    if (outage) return;
    outage = true;
    logger.warn(`Redis unavailable (${error.message}); ${messages.down}`);
  });
  redis.on('ready', () => {
    if (!outage) return;
    outage = false;
    logger.log(`Redis is back; ${messages.back}`);
  });
  return redis;
}
