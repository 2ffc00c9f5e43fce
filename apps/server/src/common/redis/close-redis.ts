import type Redis from 'ioredis';

/**
 * `QUIT` after whatever is still queued, then make sure the client is gone. Between reconnect
 * attempts there is no socket to close, so `end` may never come: the wait is bounded.
 */
export async function closeRedis(redis: Redis, boundMs = 1000): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
    } catch {
      // The connection dropped meanwhile: fall through and stop the reconnect loop.
    }
  }
  if (redis.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>((resolve) => {
    redis.once('end', () => resolve());
    timer = setTimeout(resolve, boundMs);
  });
  redis.disconnect();
  await ended;
  clearTimeout(timer);
}
