import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthSessionDto, RoomDto, UserPresenceDto } from '@parley/contracts';
import { EmbeddedMongo, type EmbeddedMongoHandle } from '@parley/embedded-mongo';
import { PresenceService } from '../src/presence/presence.service';
import { startRedisServer, type RunningRedis } from './support/redis-server';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  nextEvent,
  recordEvents,
  untyped,
  withTimeout,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

/**
 * Presence events, waited for by content: every socket of a room also hears about its other
 * members coming and going, so "the next `presence` event" would be whichever came first.
 */
function presenceOf(
  socket: ClientSocket,
  userId: string,
  status: UserPresenceDto['status'],
): Promise<UserPresenceDto> {
  return withTimeout(
    new Promise((resolve) => {
      const listener = (event: UserPresenceDto): void => {
        if (event.userId !== userId || event.status !== status) return;
        untyped(socket).off('presence', listener);
        resolve(event);
      };
      untyped(socket).on('presence', listener);
    }),
    `presence ${status} of ${userId}`,
  );
}

/** Every presence event about one user that `socket` receives from now on. */
function recordPresenceOf(socket: ClientSocket, userId: string): () => string[] {
  const events = recordEvents(socket, 'presence');
  return () => events.filter((event) => event.userId === userId).map((event) => event.status);
}

describe('presence', () => {
  const sockets: ClientSocket[] = [];

  afterEach(() => closeSockets(...sockets.splice(0)));

  function connectTo(t: TestApp) {
    return async (session: AuthSessionDto): Promise<ClientSocket> => {
      const socket = await connectSocket(t.baseUrl, session.accessToken);
      sockets.push(socket);
      return socket;
    };
  }

  /** Bob is connected, and a member of a room of Ann's; Ann is not connected yet. */
  async function annAndBob(t: TestApp) {
    const connect = connectTo(t);
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoom(t, ann.accessToken);
    const bobSocket = await connect(bob);
    await joinRoom(bobSocket, room);
    return { ann, bob, room, bobSocket, connect };
  }

  /** Ann's first tab, once Bob has heard she is online (so later recordings start after it). */
  async function firstTabOf(
    connect: (session: AuthSessionDto) => Promise<ClientSocket>,
    session: AuthSessionDto,
    observer: ClientSocket,
  ): Promise<ClientSocket> {
    const online = presenceOf(observer, session.user.id, 'online');
    const socket = await connect(session);
    await online;
    return socket;
  }

  /**
   * Closes a tab and waits until the server has handled it: the tab was typing, and the server
   * ends its indicator in the same `disconnecting` handler that tells presence.
   */
  async function closeHandled(tab: ClientSocket, observer: ClientSocket, room: RoomDto) {
    const typing = nextEvent(observer, 'user_typing');
    await emitWithAck(tab, 'typing', { room: room.id, isTyping: true });
    expect(await typing).toMatchObject({ isTyping: true });
    const stopped = nextEvent(observer, 'user_typing');
    tab.disconnect();
    expect(await stopped).toMatchObject({ isTyping: false });
  }

  /** Makes the socket's user a member of the (public) room. */
  async function joinRoom(socket: ClientSocket, room: RoomDto): Promise<void> {
    expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
  }

  describe('with a short grace', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ PRESENCE_GRACE_MS: '100' });
    });

    afterAll(async () => {
      await t.close();
    });

    it('answers set_presence with the user’s presence and refuses invalid payloads, keeping the connection', async () => {
      const ann = await signIn(t, 'Ann');
      const socket = await connectTo(t)(ann);
      expect(await emitWithAck(socket, 'set_presence', { status: 'away' })).toEqual({
        ok: true,
        data: { userId: ann.user.id, status: 'away', lastSeenAt: null },
      });
      expect(await emitWithAck(socket, 'set_presence', { status: 'online' })).toEqual({
        ok: true,
        data: { userId: ann.user.id, status: 'online', lastSeenAt: null },
      });
      for (const payload of [
        { status: 'offline' },
        { status: 'busy' },
        {},
        { status: 'away', extra: 1 },
        'away',
      ]) {
        expect(await emitRawWithAck(socket, 'set_presence', payload)).toMatchObject({
          ok: false,
          error: { code: 'validation_failed' },
        });
      }
      expect(socket.connected).toBe(true);
    });

    it('tells everyone who shares a room, once per socket, and nobody who shares none', async () => {
      const { ann, bob, room, bobSocket, connect } = await annAndBob(t);
      // A second shared room: Bob's sockets are in both channels, and still hear it once.
      const secondRoom = await createRoom(t, ann.accessToken, 'Second room');
      await joinRoom(bobSocket, secondRoom);
      // A tab opened afterwards follows both rooms from its handshake on.
      const bobSecondTab = await connect(bob);
      const outsider = await connect(await signIn(t, 'Olga'));
      const toBob = recordPresenceOf(bobSecondTab, ann.user.id);
      const toOutsider = recordPresenceOf(outsider, ann.user.id);

      const online = presenceOf(bobSecondTab, ann.user.id, 'online');
      const annSocket = await connect(ann);
      expect(await online).toEqual({ userId: ann.user.id, status: 'online', lastSeenAt: null });

      const away = presenceOf(bobSecondTab, ann.user.id, 'away');
      const ownTab = presenceOf(annSocket, ann.user.id, 'away');
      await emitWithAck(annSocket, 'set_presence', { status: 'away' });
      await away;
      await ownTab;

      // Anything sent to the outsider would have arrived before the answer to a later request.
      await emitWithAck(outsider, 'sync', { rooms: {} });
      await emitWithAck(bobSecondTab, 'sync', { rooms: {} });
      expect(toBob()).toEqual(['online', 'away']);
      expect(toOutsider()).toEqual([]);
      expect(room.id).not.toEqual(secondRoom.id);
      expect(bobSocket.connected).toBe(true);
    });

    it('is away only when every tab is away', async () => {
      const { ann, bobSocket, connect } = await annAndBob(t);
      const firstTab = await firstTabOf(connect, ann, bobSocket);
      const secondTab = await connect(ann);
      const toBob = recordPresenceOf(bobSocket, ann.user.id);

      expect(await emitWithAck(firstTab, 'set_presence', { status: 'away' })).toMatchObject({
        data: { status: 'online' },
      });
      const away = presenceOf(bobSocket, ann.user.id, 'away');
      expect(await emitWithAck(secondTab, 'set_presence', { status: 'away' })).toMatchObject({
        data: { status: 'away' },
      });
      await away;
      const online = presenceOf(bobSocket, ann.user.id, 'online');
      expect(await emitWithAck(firstTab, 'set_presence', { status: 'online' })).toMatchObject({
        data: { status: 'online' },
      });
      await online;
      expect(toBob()).toEqual(['away', 'online']);
    });

    it('keeps a user with another tab open present, without any offline announcement', async () => {
      const { ann, bobSocket, connect } = await annAndBob(t);
      const activeTab = await firstTabOf(connect, ann, bobSocket);
      const idleTab = await connect(ann);
      await emitWithAck(idleTab, 'set_presence', { status: 'away' });
      const toBob = recordPresenceOf(bobSocket, ann.user.id);

      // Closing the active tab leaves only an idle one: Bob hears `away`, not `offline`.
      const away = presenceOf(bobSocket, ann.user.id, 'away');
      activeTab.disconnect();
      await away;

      // A witness whose only tab closes after Ann's did: once Bob hears it went offline, Ann's
      // grace (had one started) has ended too, so an `offline` of Ann's would have been decided.
      const cara = await signIn(t, 'Cara');
      await joinRoom(bobSocket, await createRoom(t, cara.accessToken, 'Witness room'));
      const caraSocket = await connect(cara);
      const caraOffline = presenceOf(bobSocket, cara.user.id, 'offline');
      caraSocket.disconnect();
      await caraOffline;

      // Ann's announcements go out in order: one decided before this would arrive before it.
      const online = presenceOf(bobSocket, ann.user.id, 'online');
      await emitWithAck(idleTab, 'set_presence', { status: 'online' });
      await online;
      expect(toBob()).toEqual(['away', 'online']);
    });

    it('announces offline with the last-seen time once the last tab closed and the grace passed', async () => {
      const { ann, bobSocket, connect } = await annAndBob(t);
      const firstTab = await firstTabOf(connect, ann, bobSocket);
      const secondTab = await connect(ann);
      const toBob = recordPresenceOf(bobSocket, ann.user.id);

      const offline = presenceOf(bobSocket, ann.user.id, 'offline');
      const closedAt = Date.now();
      firstTab.disconnect();
      secondTab.disconnect();
      const event = await offline;
      const heardAt = Date.now();

      expect(event.lastSeenAt).toEqual(expect.any(String));
      const lastSeen = Date.parse(event.lastSeenAt ?? '');
      expect(lastSeen).toBeGreaterThanOrEqual(closedAt);
      expect(lastSeen).toBeLessThanOrEqual(heardAt);
      expect(toBob()).toEqual(['offline']);
      // Persisted: what room and DM lists read from now on.
      const presence = await t.app.get(PresenceService).presenceOf([ann.user.id]);
      expect(presence.get(ann.user.id)).toEqual({
        status: 'offline',
        lastSeenAt: event.lastSeenAt,
      });
    });
  });

  describe('with a long grace', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({ PRESENCE_GRACE_MS: '60000' });
    });

    afterAll(async () => {
      await t.close();
    });

    it('does not flicker when the only tab reloads within the grace', async () => {
      const { ann, room, bobSocket, connect } = await annAndBob(t);
      const before = await firstTabOf(connect, ann, bobSocket);
      const toBob = recordPresenceOf(bobSocket, ann.user.id);

      await closeHandled(before, bobSocket, room);
      const after = await connect(ann);
      // The next change of Ann's is the first Bob hears of her: no offline, no second online.
      const away = presenceOf(bobSocket, ann.user.id, 'away');
      await emitWithAck(after, 'set_presence', { status: 'away' });
      await away;
      expect(toBob()).toEqual(['away']);
      expect((await t.app.get(PresenceService).presenceOf([ann.user.id])).get(ann.user.id)).toEqual(
        { status: 'away', lastSeenAt: null },
      );
    });

    it('shows a user within the grace as still present, and never-seen users as offline', async () => {
      const { ann, bob, room, bobSocket, connect } = await annAndBob(t);
      const tab = await firstTabOf(connect, ann, bobSocket);
      const stranger = await signIn(t, 'Stan');
      await closeHandled(tab, bobSocket, room);
      const presence = await t.app
        .get(PresenceService)
        .presenceOf([ann.user.id, bob.user.id, stranger.user.id, 'not-a-user-id']);
      expect(Object.fromEntries(presence)).toEqual({
        [ann.user.id]: { status: 'online', lastSeenAt: null },
        [bob.user.id]: { status: 'online', lastSeenAt: null },
        [stranger.user.id]: { status: 'offline', lastSeenAt: null },
        'not-a-user-id': { status: 'offline', lastSeenAt: null },
      });
    });
  });

  /** Two instances on one Redis and one database, as behind a load balancer. */
  describe('on two instances sharing Redis', () => {
    let redis: RunningRedis;
    let embedded: EmbeddedMongoHandle | undefined;
    let embeddedDir: string | undefined;
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      redis = await startRedisServer();
      let mongodbUri = process.env['MONGODB_URI'];
      if (!mongodbUri) {
        embeddedDir = await mkdtemp(join(tmpdir(), 'parley-shared-db-'));
        embedded = await EmbeddedMongo.start({ port: 0, dbPath: embeddedDir });
        mongodbUri = embedded.uri;
      }
      const shared = {
        MONGODB_URI: mongodbUri,
        MONGODB_DB_NAME: `parley_test_${randomUUID().slice(0, 8)}`,
        JWT_SECRET: randomBytes(32).toString('hex'),
        REDIS_URL: redis.url,
        PRESENCE_GRACE_MS: '100',
      };
      a = await startTestApp(shared);
      b = await startTestApp(shared);
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
      await embedded?.stop();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
      await redis?.stop();
    });

    it('announces a user with tabs on both instances online once and offline once', async () => {
      const { ann, room, bobSocket } = await annAndBob(a);
      const toBob = recordPresenceOf(bobSocket, ann.user.id);
      const online = presenceOf(bobSocket, ann.user.id, 'online');
      const tabOnA = await connectTo(a)(ann);
      const tabOnB = await connectTo(b)(ann);
      await online;
      // B sees what A decided.
      expect((await b.app.get(PresenceService).presenceOf([ann.user.id])).get(ann.user.id)).toEqual(
        { status: 'online', lastSeenAt: null },
      );

      // The tab on A closes (handled: Bob saw its typing end); the one on B keeps Ann present.
      await closeHandled(tabOnA, bobSocket, room);
      const offline = presenceOf(bobSocket, ann.user.id, 'offline');
      tabOnB.disconnect();
      const { lastSeenAt } = await offline;
      // Back on A: whatever either instance announced before this arrived before it.
      const back = presenceOf(bobSocket, ann.user.id, 'online');
      await connectTo(a)(ann);
      await back;
      expect(toBob()).toEqual(['online', 'offline', 'online']);
      expect(lastSeenAt).toEqual(expect.any(String));
    });
  });
});
