import type Redis from 'ioredis';
import { useRedisServer } from '../../test/support/redis-server';
import { closeRedis } from '../common/redis/close-redis';
import { LocalPresenceStore } from './local-presence-store';
import type { PresenceStore } from './presence-store';
import { aliveKey, RedisPresenceStore } from './redis-presence-store';

const GRACE_MS = 5_000;
/** Long enough never to lapse during a test: instance deaths are simulated by deleting the key. */
const INSTANCE_TTL_MS = 60_000;
const ANN = 'a'.repeat(24);
const BOB = 'b'.repeat(24);
const T0 = Date.UTC(2026, 0, 1, 12);

const redis = useRedisServer();

/** One server instance's view of Redis, over a client of its own (as in production). */
function redisInstance(instanceId: string): { store: PresenceStore; client: Redis } {
  const client = redis.client();
  const store = new RedisPresenceStore(client, {
    graceMs: GRACE_MS,
    instanceTtlMs: INSTANCE_TTL_MS,
    instanceId,
  });
  return { store, client };
}

const kinds: [string, () => Promise<PresenceStore>][] = [
  ['LocalPresenceStore', () => Promise.resolve(new LocalPresenceStore(GRACE_MS))],
  [
    'RedisPresenceStore',
    async () => {
      const { store } = redisInstance('one');
      await store.maintain(T0);
      return store;
    },
  ],
];

describe.each(kinds)('%s', (_name, create) => {
  let store: PresenceStore;

  beforeEach(async () => {
    store = await create();
  });

  it('announces online on the first connection only', async () => {
    expect(await store.connect(ANN, 'tab-1', T0)).toEqual({
      userId: ANN,
      presence: { status: 'online', lastSeenAt: null },
    });
    expect(await store.connect(ANN, 'tab-2', T0)).toBeNull();
    expect(await store.statuses([ANN, BOB])).toEqual(new Map([[ANN, 'online']]));
  });

  it('is away only when every connection reported away', async () => {
    await store.connect(ANN, 'tab-1', T0);
    await store.connect(ANN, 'tab-2', T0);
    expect(await store.report(ANN, 'tab-1', 'away', T0)).toEqual({
      presence: { status: 'online', lastSeenAt: null },
      transition: null,
    });
    expect(await store.report(ANN, 'tab-2', 'away', T0)).toEqual({
      presence: { status: 'away', lastSeenAt: null },
      transition: { userId: ANN, presence: { status: 'away', lastSeenAt: null } },
    });
    expect(await store.report(ANN, 'tab-2', 'away', T0)).toMatchObject({ transition: null });
    expect(await store.statuses([ANN])).toEqual(new Map([[ANN, 'away']]));
    expect(await store.report(ANN, 'tab-1', 'online', T0)).toMatchObject({
      transition: { presence: { status: 'online' } },
    });
  });

  it('turns away when the only active connection closes and idle ones remain', async () => {
    await store.connect(ANN, 'tab-1', T0);
    await store.connect(ANN, 'tab-2', T0);
    await store.report(ANN, 'tab-2', 'away', T0);
    expect(await store.disconnect(ANN, 'tab-1', T0)).toEqual({
      transition: { userId: ANN, presence: { status: 'away', lastSeenAt: null } },
      graceEndsAt: null,
    });
  });

  it('keeps the user through the grace after the last connection, then announces offline once', async () => {
    await store.connect(ANN, 'tab-1', T0);
    expect(await store.disconnect(ANN, 'tab-1', T0 + 10)).toEqual({
      transition: null,
      graceEndsAt: T0 + 10 + GRACE_MS,
    });
    expect(await store.statuses([ANN])).toEqual(new Map([[ANN, 'online']]));
    expect(await store.expireDue(T0 + 10 + GRACE_MS - 1)).toEqual([]);
    expect(await store.expireDue(T0 + 10 + GRACE_MS)).toEqual([
      {
        userId: ANN,
        presence: { status: 'offline', lastSeenAt: new Date(T0 + 10).toISOString() },
      },
    ]);
    expect(await store.expireDue(T0 + 20 * GRACE_MS)).toEqual([]);
    expect(await store.statuses([ANN])).toEqual(new Map());
  });

  it('ends the grace without any announcement when the user comes back in time', async () => {
    await store.connect(ANN, 'tab-1', T0);
    await store.disconnect(ANN, 'tab-1', T0);
    expect(await store.connect(ANN, 'tab-2', T0 + 1)).toBeNull();
    expect(await store.expireDue(T0 + GRACE_MS)).toEqual([]);
    expect(await store.statuses([ANN])).toEqual(new Map([[ANN, 'online']]));
  });

  it('announces online when an away user comes back within the grace', async () => {
    await store.connect(ANN, 'tab-1', T0);
    await store.report(ANN, 'tab-1', 'away', T0);
    await store.disconnect(ANN, 'tab-1', T0);
    expect(await store.connect(ANN, 'tab-2', T0 + 1)).toMatchObject({
      presence: { status: 'online' },
    });
  });

  it('ignores the close of a connection it does not know', async () => {
    expect(await store.disconnect(BOB, 'ghost', T0)).toEqual({
      transition: null,
      graceEndsAt: null,
    });
    expect(await store.expireDue(T0 + GRACE_MS)).toEqual([]);
  });

  it('expires each user on their own schedule', async () => {
    await store.connect(ANN, 'ann-tab', T0);
    await store.connect(BOB, 'bob-tab', T0);
    await store.disconnect(ANN, 'ann-tab', T0);
    await store.disconnect(BOB, 'bob-tab', T0 + 1_000);
    expect((await store.expireDue(T0 + GRACE_MS)).map(({ userId }) => userId)).toEqual([ANN]);
    expect((await store.expireDue(T0 + GRACE_MS + 1_000)).map(({ userId }) => userId)).toEqual([
      BOB,
    ]);
  });
});

describe('RedisPresenceStore across instances', () => {
  it('decides each transition exactly once when two instances race', async () => {
    const one = redisInstance('one').store;
    const two = redisInstance('two').store;
    await Promise.all([one.maintain(T0), two.maintain(T0)]);

    const connected = await Promise.all([
      one.connect(ANN, 'tab-on-one', T0),
      two.connect(ANN, 'tab-on-two', T0),
    ]);
    expect(connected.filter(Boolean)).toHaveLength(1);

    const closed = await Promise.all([
      one.disconnect(ANN, 'tab-on-one', T0),
      two.disconnect(ANN, 'tab-on-two', T0),
    ]);
    expect(closed.filter(({ graceEndsAt }) => graceEndsAt !== null)).toHaveLength(1);
    expect(closed.every(({ transition }) => transition === null)).toBe(true);

    const expired = await Promise.all([one.expireDue(T0 + GRACE_MS), two.expireDue(T0 + GRACE_MS)]);
    expect(expired.flat()).toEqual([
      { userId: ANN, presence: { status: 'offline', lastSeenAt: new Date(T0).toISOString() } },
    ]);
  });

  it('reaps an instance that died with connections, once, from whichever survivor comes first', async () => {
    const dead = redisInstance('dead');
    const survivor = redisInstance('survivor').store;
    const another = redisInstance('another').store;
    await dead.store.maintain(T0);
    await survivor.maintain(T0);
    await another.maintain(T0);
    // Ann has an active tab on the dying instance and an idle one elsewhere; Bob only the first.
    await dead.store.connect(ANN, 'ann-active', T0);
    await survivor.connect(ANN, 'ann-idle', T0);
    await survivor.report(ANN, 'ann-idle', 'away', T0);
    await dead.store.connect(BOB, 'bob-tab', T0);

    // The process is gone without a word, and its heartbeat key lapses.
    await closeRedis(dead.client);
    await redis.inspector().del(aliveKey('dead'));

    const [first, second] = await Promise.all([
      survivor.maintain(T0 + 30_000),
      another.maintain(T0 + 30_000),
    ]);
    expect([...first, ...second]).toEqual([
      { userId: ANN, presence: { status: 'away', lastSeenAt: null } },
    ]);
    // Bob's grace ends at once; he was last seen at the dead instance's last heartbeat.
    const expired = await Promise.all([
      survivor.expireDue(T0 + 30_000),
      another.expireDue(T0 + 30_000),
    ]);
    expect(expired.flat()).toEqual([
      { userId: BOB, presence: { status: 'offline', lastSeenAt: new Date(T0).toISOString() } },
    ]);
    expect(await survivor.statuses([ANN, BOB])).toEqual(new Map([[ANN, 'away']]));
    expect(await redis.inspector().keys('parley:presence:*dead*')).toEqual([]);
    expect(await redis.inspector().hkeys('parley:presence:instances')).toEqual(
      expect.not.arrayContaining(['dead']),
    );
  });

  it('puts its connections back when it was taken for dead but was only stalled', async () => {
    const stalled = redisInstance('stalled').store;
    const survivor = redisInstance('survivor').store;
    await stalled.maintain(T0);
    await survivor.maintain(T0);
    await stalled.connect(ANN, 'ann-tab', T0);
    await stalled.report(ANN, 'ann-tab', 'away', T0);

    await redis.inspector().del(aliveKey('stalled'));
    expect(await survivor.maintain(T0 + 30_000)).toEqual([]);
    expect(await survivor.expireDue(T0 + 30_000)).toEqual([
      { userId: ANN, presence: { status: 'offline', lastSeenAt: new Date(T0).toISOString() } },
    ]);

    // Its next heartbeat finds it was reaped, and re-registers what it still holds.
    expect(await stalled.maintain(T0 + 31_000)).toEqual([
      { userId: ANN, presence: { status: 'away', lastSeenAt: null } },
    ]);
    expect(await survivor.statuses([ANN])).toEqual(new Map([[ANN, 'away']]));
    expect(await stalled.disconnect(ANN, 'ann-tab', T0 + 32_000)).toMatchObject({
      graceEndsAt: T0 + 32_000 + GRACE_MS,
    });
  });

  it('catches up with changes that failed while Redis was unreachable', async () => {
    const { store, client } = redisInstance('flaky');
    const observer = redisInstance('observer').store;
    await store.maintain(T0);
    await store.connect(ANN, 'ann-tab', T0);
    const unreachable = jest
      .spyOn(client, 'eval')
      .mockRejectedValueOnce(new Error('Connection is closed.'))
      .mockRejectedValueOnce(new Error('Connection is closed.'));
    // Ann's tab closes and Bob's opens while Redis cannot be told.
    await expect(store.disconnect(ANN, 'ann-tab', T0)).rejects.toThrow('closed');
    await expect(store.connect(BOB, 'bob-tab', T0)).rejects.toThrow('closed');
    unreachable.mockRestore();
    expect(await observer.statuses([ANN, BOB])).toEqual(new Map([[ANN, 'online']]));

    expect(await store.maintain(T0 + 1_000)).toEqual([
      { userId: BOB, presence: { status: 'online', lastSeenAt: null } },
    ]);
    expect(await observer.expireDue(T0 + 1_000 + GRACE_MS)).toEqual([
      {
        userId: ANN,
        presence: { status: 'offline', lastSeenAt: new Date(T0 + 1_000).toISOString() },
      },
    ]);
    expect(await observer.statuses([ANN, BOB])).toEqual(new Map([[BOB, 'online']]));
  });

  it('hands its connections over as graces on a clean shutdown', async () => {
    const leaving = redisInstance('leaving').store;
    const staying = redisInstance('staying').store;
    await leaving.maintain(T0);
    await staying.maintain(T0);
    await leaving.connect(ANN, 'ann-tab', T0);

    const closedAt = Date.now();
    await leaving.close();
    expect(await staying.statuses([ANN])).toEqual(new Map([[ANN, 'online']]));
    // The client reconnects to another instance within the grace: no announcement at all.
    expect(await staying.connect(ANN, 'ann-new-tab', closedAt + 1)).toBeNull();
    expect(await staying.expireDue(closedAt + 2 * GRACE_MS)).toEqual([]);
    expect(await redis.inspector().keys('parley:presence:*leaving*')).toEqual([]);
  });

  it('announces offline after the grace when nobody reconnects after a shutdown', async () => {
    const leaving = redisInstance('leaving').store;
    const staying = redisInstance('staying').store;
    await leaving.maintain(T0);
    await staying.maintain(T0);
    await leaving.connect(BOB, 'bob-tab', T0);
    const closedAt = Date.now();
    await leaving.close();
    const [offline] = await staying.expireDue(Date.now() + GRACE_MS);
    expect(offline?.userId).toBe(BOB);
    expect(Date.parse(offline?.presence.lastSeenAt ?? '')).toBeGreaterThanOrEqual(closedAt);
  });
});
