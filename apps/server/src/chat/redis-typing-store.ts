import type Redis from 'ioredis';
import { closeRedis } from '../common/redis/close-redis';
import { indicatorKey, type TypingStore, type TypingTimes } from './typing-store';

/**
 * One hash per indicator, `parley:typing:<room>:<user>` → `conn` (the connection that last
 * refreshed it), `at` (when), `announced` (when it was last announced). It expires by itself a
 * while after the indicator would have (`expiresMs` × 2), so an instance that dies leaves nothing
 * behind. Each operation is one Lua script: decided atomically, whichever instance runs it. Sent
 * with EVAL for the reason given in redis-presence-store.ts (a NOSCRIPT retry could reorder).
 */
const PREFIX = 'parley:typing:';

export function typingKey(room: string, userId: string): string {
  return `${PREFIX}${indicatorKey(room, userId)}`;
}

/** ARGV: connection, now, rebroadcastAfterMs, ttlMs. Answers 1 to announce. */
const START = `
local announced = tonumber(redis.call('HGET', KEYS[1], 'announced'))
local now = tonumber(ARGV[2])
local announce = announced == nil or now - announced >= tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'conn', ARGV[1], 'at', ARGV[2])
if announce then redis.call('HSET', KEYS[1], 'announced', ARGV[2]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if announce then return 1 end
return 0
`;

/** ARGV: connection ('' for any). Answers 1 when it ended the indicator. */
const STOP = `
local conn = redis.call('HGET', KEYS[1], 'conn')
if conn == false then return 0 end
if ARGV[1] ~= '' and conn ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

/** ARGV: now, expiresMs. Answers 1 when it ended the indicator. */
const EXPIRE = `
local at = tonumber(redis.call('HGET', KEYS[1], 'at'))
if at == nil or tonumber(ARGV[1]) - at < tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;

export class RedisTypingStore implements TypingStore {
  constructor(
    private readonly redis: Redis,
    private readonly times: TypingTimes,
  ) {}

  async start(room: string, userId: string, connectionId: string, now: number): Promise<boolean> {
    const announce = await this.redis.eval(
      START,
      1,
      typingKey(room, userId),
      connectionId,
      now,
      this.times.rebroadcastAfterMs,
      this.times.expiresMs * 2,
    );
    return announce === 1;
  }

  async stop(room: string, userId: string, connectionId?: string): Promise<boolean> {
    return (await this.redis.eval(STOP, 1, typingKey(room, userId), connectionId ?? '')) === 1;
  }

  async expire(room: string, userId: string, now: number): Promise<boolean> {
    const ended = await this.redis.eval(
      EXPIRE,
      1,
      typingKey(room, userId),
      now,
      this.times.expiresMs,
    );
    return ended === 1;
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
