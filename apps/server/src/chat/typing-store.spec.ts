import { useRedisServer } from '../../test/support/redis-server';
import { RedisTypingStore, typingKey } from './redis-typing-store';
import { LocalTypingStore, type TypingStore, type TypingTimes } from './typing-store';

const TIMES: TypingTimes = { expiresMs: 5_000, rebroadcastAfterMs: 1_000 };
const ROOM = 'r'.repeat(24);
const ANN = 'a'.repeat(24);
const T0 = Date.UTC(2026, 0, 1, 12);

const redis = useRedisServer();

/** One server instance's store, over a Redis client of its own (as in production). */
function redisInstance(): RedisTypingStore {
  return new RedisTypingStore(redis.client(), TIMES);
}

const kinds: [string, () => TypingStore][] = [
  ['LocalTypingStore', () => new LocalTypingStore(TIMES)],
  ['RedisTypingStore', redisInstance],
];

describe.each(kinds)('%s', (_name, create) => {
  let store: TypingStore;

  beforeEach(() => {
    store = create();
  });

  it('announces a new indicator, then a refresh only once a second has passed', async () => {
    expect(await store.start(ROOM, ANN, 'tab-1', T0)).toBe(true);
    expect(await store.start(ROOM, ANN, 'tab-1', T0 + 999)).toBe(false);
    expect(await store.start(ROOM, ANN, 'tab-1', T0 + 1_000)).toBe(true);
    expect(await store.start(ROOM, ANN, 'tab-1', T0 + 1_500)).toBe(false);
  });

  it('stops an indicator once, whoever asks; unknown ones are not announced', async () => {
    expect(await store.stop(ROOM, ANN)).toBe(false);
    await store.start(ROOM, ANN, 'tab-1', T0);
    expect(await store.stop(ROOM, ANN)).toBe(true);
    expect(await store.stop(ROOM, ANN)).toBe(false);
    // Started again after a stop: new, so announced at once.
    expect(await store.start(ROOM, ANN, 'tab-1', T0 + 10)).toBe(true);
  });

  it('lets a closing connection end only the indicator it keeps up', async () => {
    await store.start(ROOM, ANN, 'tab-1', T0);
    await store.start(ROOM, ANN, 'tab-2', T0 + 100);
    expect(await store.stop(ROOM, ANN, 'tab-1')).toBe(false);
    expect(await store.stop(ROOM, ANN, 'tab-2')).toBe(true);
  });

  it('expires an indicator only when it was not refreshed for expiresMs', async () => {
    await store.start(ROOM, ANN, 'tab-1', T0);
    await store.start(ROOM, ANN, 'tab-1', T0 + 2_000);
    expect(await store.expire(ROOM, ANN, T0 + 5_000)).toBe(false);
    expect(await store.expire(ROOM, ANN, T0 + 7_000)).toBe(true);
    expect(await store.expire(ROOM, ANN, T0 + 8_000)).toBe(false);
    expect(await store.stop(ROOM, ANN)).toBe(false);
  });

  it('keeps rooms and users apart', async () => {
    await store.start(ROOM, ANN, 'tab-1', T0);
    expect(await store.start('s'.repeat(24), ANN, 'tab-1', T0)).toBe(true);
    expect(await store.start(ROOM, 'b'.repeat(24), 'tab-3', T0)).toBe(true);
    expect(await store.stop(ROOM, ANN)).toBe(true);
    expect(await store.stop(ROOM, 'b'.repeat(24))).toBe(true);
  });
});

describe('RedisTypingStore across instances', () => {
  it('shares one indicator: started through A, refreshed, stopped or expired through B', async () => {
    const a = redisInstance();
    const b = redisInstance();
    expect(await a.start(ROOM, ANN, 'tab-on-a', T0)).toBe(true);
    // Another tab of the same user, on the other instance: the same indicator, not a second one.
    expect(await b.start(ROOM, ANN, 'tab-on-b', T0 + 500)).toBe(false);
    // A's expiry timer fires first; B's refresh is newer, so nothing ends.
    expect(await a.expire(ROOM, ANN, T0 + 5_000)).toBe(false);
    // The message is sent through B: it ends the indicator A started.
    expect(await b.stop(ROOM, ANN)).toBe(true);
    expect(await a.stop(ROOM, ANN)).toBe(false);
  });

  it('leaves nothing behind in Redis after an indicator would have expired twice over', async () => {
    const store = redisInstance();
    await store.start(ROOM, ANN, 'tab-1', T0);
    const ttl = await redis.inspector().pttl(typingKey(ROOM, ANN));
    expect(ttl).toBeGreaterThan(TIMES.expiresMs);
    expect(ttl).toBeLessThanOrEqual(TIMES.expiresMs * 2);
  });
});
