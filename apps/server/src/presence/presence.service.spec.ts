import { Logger } from '@nestjs/common';
import type { UsersService } from '../users/users.service';
import { LocalPresenceStore } from './local-presence-store';
import { PresenceEvents } from './presence-events';
import type { PresenceStore, PresenceTransition } from './presence-store';
import { PRESENCE_MAINTENANCE_MS, PresenceService } from './presence.service';

const GRACE_MS = 5_000;
const ANN = 'a'.repeat(24);
const BOB = 'b'.repeat(24);
const T0 = Date.UTC(2026, 0, 1, 12);

/** The users collection's part in presence: last-seen times, kept in memory. */
class LastSeenTimes {
  readonly times = new Map<string, Date>();
  /** What was recorded by the time each transition was published. */
  readonly recordedBeforePublish: (Date | undefined)[] = [];

  lastSeenOf(ids: readonly string[]): Promise<Map<string, Date>> {
    const found = new Map<string, Date>();
    for (const id of ids) {
      const time = this.times.get(id);
      if (time) found.set(id, time);
    }
    return Promise.resolve(found);
  }

  recordLastSeen(id: string, at: Date): Promise<void> {
    this.times.set(id, at);
    return Promise.resolve();
  }
}

describe('PresenceService', () => {
  let store: PresenceStore;
  let users: LastSeenTimes;
  let service: PresenceService;
  let published: PresenceTransition[];

  beforeEach(async () => {
    jest.useFakeTimers({ now: T0 });
    store = new LocalPresenceStore(GRACE_MS);
    users = new LastSeenTimes();
    const events = new PresenceEvents();
    published = [];
    events.transitions$.subscribe((transition) => {
      published.push(transition);
      users.recordedBeforePublish.push(users.times.get(transition.userId));
    });
    service = new PresenceService(store, users as unknown as UsersService, events);
    await service.onModuleInit();
  });

  afterEach(async () => {
    await service.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('announces offline once the grace after the last connection has passed, last-seen first', async () => {
    await service.connect(ANN, 'tab-1');
    await service.connect(ANN, 'tab-2');
    await service.disconnect(ANN, 'tab-1');
    await jest.advanceTimersByTimeAsync(1_000);
    await service.disconnect(ANN, 'tab-2');
    await jest.advanceTimersByTimeAsync(GRACE_MS - 1);
    expect(published.map(({ presence }) => presence.status)).toEqual(['online']);

    await jest.advanceTimersByTimeAsync(1);
    const lastSeenAt = new Date(T0 + 1_000);
    expect(published).toEqual([
      { userId: ANN, presence: { status: 'online', lastSeenAt: null } },
      { userId: ANN, presence: { status: 'offline', lastSeenAt: lastSeenAt.toISOString() } },
    ]);
    expect(users.recordedBeforePublish[1]).toEqual(lastSeenAt);
    expect(await service.presenceOf([ANN])).toEqual(
      new Map([[ANN, { status: 'offline', lastSeenAt: lastSeenAt.toISOString() }]]),
    );
  });

  it('says nothing when the user is back within the grace', async () => {
    await service.connect(ANN, 'tab-1');
    await service.disconnect(ANN, 'tab-1');
    await jest.advanceTimersByTimeAsync(GRACE_MS - 1);
    await service.connect(ANN, 'tab-2');
    await jest.advanceTimersByTimeAsync(10 * GRACE_MS);
    expect(published.map(({ presence }) => presence.status)).toEqual(['online']);
    expect(users.times.size).toBe(0);
  });

  it('sends an online decided while the offline before it is being persisted after it', async () => {
    let persisted: () => void = () => undefined;
    jest
      .spyOn(users, 'recordLastSeen')
      .mockImplementation(() => new Promise<void>((resolve) => (persisted = resolve)));
    await service.connect(ANN, 'tab-1');
    await service.disconnect(ANN, 'tab-1');
    await jest.advanceTimersByTimeAsync(GRACE_MS);
    const back = service.connect(ANN, 'tab-2');
    await jest.advanceTimersByTimeAsync(0);
    expect(published.map(({ presence }) => presence.status)).toEqual(['online']);

    persisted();
    await back;
    expect(published.map(({ presence }) => presence.status)).toEqual([
      'online',
      'offline',
      'online',
    ]);
  });

  it('expires users whose graces started one after another, each on time', async () => {
    await service.connect(ANN, 'ann-tab');
    await service.connect(BOB, 'bob-tab');
    await service.disconnect(ANN, 'ann-tab');
    await jest.advanceTimersByTimeAsync(2_000);
    await service.disconnect(BOB, 'bob-tab');
    await jest.advanceTimersByTimeAsync(GRACE_MS - 2_000);
    expect(published.filter(({ presence }) => presence.status === 'offline')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(
      published.filter(({ presence }) => presence.status === 'offline').map(({ userId }) => userId),
    ).toEqual([ANN, BOB]);
  });

  it('answers a report with the user’s resulting presence', async () => {
    await service.connect(ANN, 'tab-1');
    await service.connect(ANN, 'tab-2');
    expect(await service.report(ANN, 'tab-1', 'away')).toEqual({
      userId: ANN,
      status: 'online',
      lastSeenAt: null,
    });
    expect(await service.report(ANN, 'tab-2', 'away')).toEqual({
      userId: ANN,
      status: 'away',
      lastSeenAt: null,
    });
    expect(published.map(({ presence }) => presence.status)).toEqual(['online', 'away']);
  });

  it('gives every id an entry, offline with its last-seen time unless connected', async () => {
    users.times.set(BOB, new Date(T0 - 60_000));
    await service.connect(ANN, 'tab-1');
    expect(await service.presenceOf([ANN, BOB, 'unknown', ANN])).toEqual(
      new Map([
        [ANN, { status: 'online', lastSeenAt: null }],
        [BOB, { status: 'offline', lastSeenAt: new Date(T0 - 60_000).toISOString() }],
        ['unknown', { status: 'offline', lastSeenAt: null }],
      ]),
    );
    expect(await service.presenceOf([])).toEqual(new Map());
  });

  it('expires graces nobody timed here (another instance shut down) on its upkeep', async () => {
    await store.connect(ANN, 'tab-on-another-instance', Date.now());
    await store.disconnect(ANN, 'tab-on-another-instance', Date.now());
    await jest.advanceTimersByTimeAsync(GRACE_MS + PRESENCE_MAINTENANCE_MS);
    expect(published.map(({ presence }) => presence.status)).toEqual(['offline']);
  });

  it('keeps connections working when the store fails, and refuses reports with unavailable', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failing = new Error('Redis is down');
    jest.spyOn(store, 'connect').mockRejectedValue(failing);
    jest.spyOn(store, 'report').mockRejectedValue(failing);
    jest.spyOn(store, 'statuses').mockRejectedValue(failing);
    await expect(service.connect(ANN, 'tab-1')).resolves.toBeUndefined();
    await expect(service.report(ANN, 'tab-1', 'away')).rejects.toMatchObject({
      code: 'unavailable',
    });
    expect(await service.presenceOf([ANN])).toEqual(
      new Map([[ANN, { status: 'offline', lastSeenAt: null }]]),
    );
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });
});
