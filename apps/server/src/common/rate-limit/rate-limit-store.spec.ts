import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import { type AppConfig, loadConfig } from '../../config/app-config';
import { AppException } from '../errors/app-exception';
import { RateLimitStore } from './rate-limit-store';
import { createLimiterStore, createRateLimiter } from './rate-limiter';

function configWith(env: NodeJS.ProcessEnv): AppConfig {
  return loadConfig({ JWT_SECRET: 'x'.repeat(32), ...env });
}

describe('createLimiterStore', () => {
  // Never connects: `lazyConnect` waits for a first command, and a not-ready client is never sent one.
  const offline = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
  });

  afterAll(() => {
    offline.disconnect();
  });

  it('counts in memory without a Redis client', () => {
    const limiter = createLimiterStore('login-ip', { points: 5, durationSeconds: 60 });
    expect(limiter).toBeInstanceOf(RateLimiterMemory);
    expect(limiter).toMatchObject({ points: 5, duration: 60, keyPrefix: 'login-ip' });
  });

  it('counts in Redis under parley:rl:<name>, insured by a memory limiter with the same numbers', () => {
    const limiter = createLimiterStore('login-ip', { points: 5, durationSeconds: 60 }, offline);
    expect(limiter).toBeInstanceOf(RateLimiterRedis);
    expect(limiter).toMatchObject({ points: 5, duration: 60, keyPrefix: 'parley:rl:login-ip' });
    const insurance: unknown = (limiter as RateLimiterRedis & { insuranceLimiter: unknown })
      .insuranceLimiter;
    expect(insurance).toBeInstanceOf(RateLimiterMemory);
    expect(insurance).toMatchObject({ points: 5, duration: 60 });
  });

  it('fails open to the in-memory limits while Redis is unreachable', async () => {
    const limiter = createRateLimiter('send_message', { points: 2, durationSeconds: 10 }, offline);
    await limiter.consume('ann');
    await limiter.consume('ann');
    const refusal = await limiter.consume('ann').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppException);
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect(offline.status).toBe('wait');
  });
});

describe('RateLimitStore', () => {
  it('uses memory when REDIS_URL is unset', async () => {
    const store = new RateLimitStore(configWith({}));
    expect(store.backend).toBe('memory');
    expect(store.createStore('rest', { points: 1, durationSeconds: 1 })).toBeInstanceOf(
      RateLimiterMemory,
    );
    await store.onModuleInit();
    await store.onModuleDestroy();
  });

  it('uses one Redis client for every limiter when REDIS_URL is set, and closes it', async () => {
    const store = new RateLimitStore(configWith({ REDIS_URL: 'redis://127.0.0.1:1' }));
    expect(store.backend).toBe('redis');
    const first = store.createStore('login-ip', { points: 1, durationSeconds: 1 });
    const second = store.createStore('login-failures', { points: 1, durationSeconds: 1 });
    expect(first).toBeInstanceOf(RateLimiterRedis);
    const clientOf = (limiter: unknown) => (limiter as { client: unknown }).client;
    expect(clientOf(first)).toBeInstanceOf(Redis);
    expect(clientOf(first)).toBe(clientOf(second));
    // Nothing listens on port 1: boot goes on (fail open) and shutdown stops the reconnect loop.
    await store.onModuleInit();
    await store.onModuleDestroy();
    expect((clientOf(first) as Redis).status).toBe('end');
  });
});
