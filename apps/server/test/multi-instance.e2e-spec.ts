import { randomUUID } from 'node:crypto';
import type { AuthSessionDto, MessageDto } from '@parley/contracts';
import { startBalancer, type Balancer } from './support/balancer';
import { LedgerClient, until } from './support/instances-ledger';
import {
  clusterSettings,
  makeWorkDir,
  Rest,
  startServerInstance,
  startSharedDatabase,
  stopAll,
  type ServerInstance,
  type SharedDatabase,
} from './support/instances';
import { startRedisServer, type RunningRedis } from './support/redis-server';
import {
  closeSockets,
  connectSocket,
  emitWithAck,
  nextEvent,
  recordEvents,
  type ClientSocket,
} from './support/sockets';

/** Clients in the crash test, connected alternately to A and B through the balancer. */
const CLIENTS = 6;
/** Messages each of them composes; with resends this stays under the send_message burst (20). */
const MESSAGES_PER_CLIENT = 8;

/**
 * Two server processes from the production build (`apps/server/dist`), one Redis (socket adapter
 * and rate limits), one database, and a TCP load balancer in front: what docs/deployment.md
 * describes, on loopback. Needs `nx run server:build` first (the test target depends on it).
 */
describe('several instances behind one URL', () => {
  let workDir: string | undefined;
  let redis: RunningRedis | undefined;
  let database: SharedDatabase | undefined;
  let a: ServerInstance | undefined;
  let b: ServerInstance | undefined;
  let balancer: Balancer | undefined;
  const sockets: ClientSocket[] = [];
  const clients: LedgerClient[] = [];

  beforeAll(async () => {
    workDir = await makeWorkDir();
    redis = await startRedisServer();
    database = await startSharedDatabase(workDir);
    const settings = clusterSettings(database, redis.url);
    const dir = workDir;
    const [first, second] = await Promise.allSettled([
      startServerInstance('a', settings, dir),
      startServerInstance('b', settings, dir),
    ]);
    if (first.status === 'fulfilled') a = first.value;
    if (second.status === 'fulfilled') b = second.value;
    if (first.status === 'rejected') throw first.reason;
    if (second.status === 'rejected') throw second.reason;
    balancer = await startBalancer([
      { host: '127.0.0.1', port: instance(a).port },
      { host: '127.0.0.1', port: instance(b).port },
    ]);
  }, 60_000);

  afterAll(async () => {
    closeSockets(...sockets);
    for (const client of clients) client.close();
    await balancer?.close();
    await stopAll([a?.process, b?.process, database?.process], workDir);
    await redis?.stop();
  }, 30_000);

  function instance(server: ServerInstance | undefined): ServerInstance {
    if (!server) throw new Error('instance not started');
    return server;
  }

  async function socketOn(server: ServerInstance | undefined, session: AuthSessionDto) {
    const socket = await connectSocket(instance(server).url, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  async function joined(server: ServerInstance | undefined, session: AuthSessionDto, room: string) {
    const socket = await socketOn(server, session);
    expect(await emitWithAck(socket, 'join_room', { room })).toMatchObject({ ok: true });
    return socket;
  }

  /** Ann signed up through A with a room of hers named `roomName`, and a guest signed up through B. */
  async function annOnAWith(otherName: string, roomName: string) {
    const restA = new Rest(instance(a).url);
    const ann = await restA.guest('Ann');
    const other = await new Rest(instance(b).url).guest(otherName);
    const room = (await restA.createRoom(ann, roomName)).id;
    return { ann, other, room };
  }

  function send(socket: ClientSocket, room: string, content: string) {
    return emitWithAck(socket, 'send_message', { room, content, clientMessageId: randomUUID() });
  }

  it('delivers messages and join notices from either instance to the other', async () => {
    const { ann, other: bob, room } = await annOnAWith('Bob', 'Across');
    const annOnA = await joined(a, ann, room);

    const notice = nextEvent(annOnA, 'system_message');
    const bobOnB = await joined(b, bob, room);
    expect(await notice).toMatchObject({ room, kind: 'join', user: { id: bob.user.id } });

    const toBob = nextEvent(bobOnB, 'new_message');
    const fromAnn = await send(annOnA, room, 'from A');
    expect(fromAnn.ok).toBe(true);
    expect(await toBob).toEqual(fromAnn.ok && fromAnn.data);

    const toAnn = nextEvent(annOnA, 'new_message');
    const fromBob = await send(bobOnB, room, 'from B');
    expect(fromBob.ok).toBe(true);
    expect(await toAnn).toEqual(fromBob.ok && fromBob.data);
  });

  it('keeps one typing indicator per user across instances: typed in a tab on A, ended by sending from a tab on B', async () => {
    const { ann, other: cid, room } = await annOnAWith('Cid', 'Typing across');
    const annOnA = await joined(a, ann, room);
    const annOnB = await socketOn(b, ann);
    const cidOnB = await joined(b, cid, room);
    const seen = recordEvents(cidOnB, 'user_typing');

    const started = nextEvent(cidOnB, 'user_typing');
    await emitWithAck(annOnA, 'typing', { room, isTyping: true });
    expect(await started).toMatchObject({ room, isTyping: true, user: { id: ann.user.id } });
    // The other tab, on the other instance, refreshes the same indicator: nothing new to announce.
    await emitWithAck(annOnB, 'typing', { room, isTyping: true });

    const stopped = nextEvent(cidOnB, 'user_typing');
    const delivered = nextEvent(cidOnB, 'new_message');
    expect((await send(annOnB, room, 'sent from the other tab')).ok).toBe(true);
    await delivered;
    expect(await stopped).toMatchObject({ room, isTyping: false, user: { id: ann.user.id } });
    expect(seen.map((event) => event.isTyping)).toEqual([true, false]);
  });

  describe('removals through A take the user out of the room on B too', () => {
    async function setUp() {
      const restA = new Rest(instance(a).url);
      const [owner, victim, witness] = await Promise.all([
        restA.guest('Owner'),
        restA.guest('Victim'),
        restA.guest('Witness'),
      ]);
      const room = (await restA.createRoom(owner, 'Moderated')).id;
      const ownerOnA = await joined(a, owner, room);
      // The witness is on both instances: receiving a message on a tab proves that instance
      // broadcast it, to the victim's tabs there as well.
      const witnessTabs = [await joined(a, witness, room), await joined(b, witness, room)];
      const victimTabs = [
        await joined(b, victim, room),
        await joined(b, victim, room),
        await joined(a, victim, room),
      ];
      const victimMessages = victimTabs.map((tab) => recordEvents(tab, 'new_message'));
      return { restA, owner, victim, room, ownerOnA, witnessTabs, victimTabs, victimMessages };
    }

    async function expectCutOff(world: Awaited<ReturnType<typeof setUp>>): Promise<void> {
      const { room, ownerOnA, witnessTabs, victimTabs, victimMessages } = world;
      const seen = witnessTabs.map((tab) => nextEvent(tab, 'new_message'));
      expect(await send(ownerOnA, room, 'after the removal')).toMatchObject({ ok: true });
      for (const message of await Promise.all(seen)) {
        expect(message).toMatchObject({ content: 'after the removal' });
      }
      // Each answer comes after anything the server wrote to that socket before it.
      for (const tab of victimTabs) {
        expect(await send(tab, room, 'still here?')).toMatchObject({
          ok: false,
          error: { code: 'not_in_room' },
        });
      }
      expect(victimMessages.flat()).toEqual([]);
    }

    it('kick: every tab of the user, on both instances, gets room_removed and nothing more', async () => {
      const world = await setUp();
      const removed = world.victimTabs.map((tab) => nextEvent(tab, 'room_removed'));
      await world.restA.kick(world.owner, world.room, world.victim.user.id);
      expect(await Promise.all(removed)).toEqual(
        world.victimTabs.map(() => ({ room: world.room, reason: 'kicked' })),
      );
      await expectCutOff(world);
    });

    it('ban: the same, with reason banned', async () => {
      const world = await setUp();
      const removed = world.victimTabs.map((tab) => nextEvent(tab, 'room_removed'));
      await world.restA.ban(world.owner, world.room, world.victim.user.id);
      expect(await Promise.all(removed)).toEqual(
        world.victimTabs.map(() => ({ room: world.room, reason: 'banned' })),
      );
      await expectCutOff(world);
    });

    it('delete: members on B leave the room and are told', async () => {
      const { restA, owner, room, victimTabs } = await setUp();
      const removed = victimTabs.map((tab) => nextEvent(tab, 'room_removed'));
      await restA.deleteRoom(owner, room);
      expect(await Promise.all(removed)).toEqual(
        victimTabs.map(() => ({ room, reason: 'deleted' })),
      );
      for (const tab of victimTabs) {
        expect(await send(tab, room, 'anyone?')).toMatchObject({
          ok: false,
          error: { code: 'not_in_room' },
        });
      }
    });
  });

  it('loses nothing when A crashes mid-conversation: its clients fail over to B and sync', async () => {
    // Set-up talks to B directly, so the balancer carries the chat connections and nothing else.
    const restB = new Rest(instance(b).url);
    const owner = await restB.guest('Owner');
    const rooms = [
      (await restB.createRoom(owner, 'Crash one')).id,
      (await restB.createRoom(owner, 'Crash two')).id,
    ];
    const sessions = await Promise.all(
      Array.from({ length: CLIENTS }, (_, index) => restB.guest(`Member ${index}`)),
    );
    // One at a time: the balancer hands out connections in turn, so the clients alternate A, B.
    for (const [index, session] of sessions.entries()) {
      const client = new LedgerClient(`member ${index}`, session, lb().url, rooms);
      clients.push(client);
      await client.started();
    }
    const [onA = 0, onB = 0] = lb().active();
    expect({ onA, onB }).toEqual({ onA: CLIENTS / 2, onB: CLIENTS / 2 });

    const sending = clients.map(async (client) => {
      for (let index = 0; index < MESSAGES_PER_CLIENT; index += 1) {
        await client.send(rooms[index % rooms.length] ?? '', `${client.name} #${index}`);
      }
    });
    await until(() => clients.every((client) => client.acked.size >= 2), 'two acks per client');
    await instance(a).process.kill();
    await Promise.all(sending);
    await until(
      () => clients.every((client) => client.settled || client.failures.length > 0),
      'every client back, caught up, with an empty outbox',
    );
    expect(clients.flatMap((client) => client.failures)).toEqual([]);
    // Broadcasts A stored but never sent are found the way a client finds any gap: with sync.
    await Promise.all(clients.map((client) => client.catchUp()));
    expect(clients.flatMap((client) => client.failures)).toEqual([]);
    expect(clients.flatMap((client) => client.conflicts)).toEqual([]);
    // Exactly A's clients reconnected, all through the balancer to B.
    expect(clients.filter((client) => client.connects > 1)).toHaveLength(onA);
    expect(lb().active()).toEqual([0, CLIENTS]);

    const restLb = new Rest(lb().url);
    for (const room of rooms) {
      const stored = await restLb.history(owner, room);
      expect(stored.map((message) => message.seq)).toEqual(stored.map((_, index) => index + 1));
      // Every message composed for the room, acknowledged or resent, is stored exactly once.
      const composed = clients.flatMap((client) =>
        [...client.composed].filter(([, pending]) => pending.room === room).map(([id]) => id),
      );
      expect(stored.map((message) => message.clientMessageId).sort()).toEqual(composed.sort());
      const byClientId = new Map(stored.map((message) => [message.clientMessageId, message]));
      for (const client of clients) {
        // Everyone holds the same messages in the same order as the stored history.
        expect({ client: client.name, view: client.view(room) }).toEqual({
          client: client.name,
          view: stored,
        });
        const acked = [...client.acked.values()].filter((message) => message.room === room);
        for (const message of acked) {
          expect(byClientId.get(message.clientMessageId)).toEqual<MessageDto>(message);
        }
      }
    }
  }, 60_000);

  it('B shuts down on SIGTERM without being killed (its Redis connections close)', async () => {
    for (const client of clients) client.close();
    expect(await instance(b).process.stop()).toBe('stopped');
    expect(instance(b).process.exit).toEqual({ code: 0, signal: null });
  });

  function lb(): Balancer {
    if (!balancer) throw new Error('balancer not started');
    return balancer;
  }
});
