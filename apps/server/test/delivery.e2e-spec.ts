import { randomUUID } from 'node:crypto';
import { getModelToken } from '@nestjs/mongoose';
import {
  SYNC_MAX_ROOMS,
  type AuthSessionDto,
  type MessageDto,
  type RoomDto,
  type SyncResultDto,
} from '@parley/contracts';
import type { Model } from 'mongoose';
import { Types } from 'mongoose';
import { closeGracefully } from '../src/app';
import { Message } from '../src/messages/message.schema';
import { MessagesService } from '../src/messages/messages.service';
import { bearer, call, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  nextEvent,
  recordEvents,
  waitForDisconnect,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('delivery: gap-free seqs, sync catch-up', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  async function member(room: RoomDto, session?: AuthSessionDto) {
    const user = session ?? (await signIn(t));
    const socket = await connectSocket(t.baseUrl, user.accessToken);
    sockets.push(socket);
    expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
    return { user, socket };
  }

  async function sendMany(socket: ClientSocket, room: RoomDto, count: number) {
    const sent: MessageDto[] = [];
    for (let index = 0; index < count; index += 1) {
      const ack = await emitWithAck(socket, 'send_message', {
        room: room.id,
        content: `message ${index + 1}`,
        clientMessageId: randomUUID(),
      });
      if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
      sent.push(ack.data);
    }
    return sent;
  }

  async function sync(socket: ClientSocket, rooms: Record<string, number>, limit?: number) {
    const ack = await emitWithAck(
      socket,
      'sync',
      limit === undefined ? { rooms } : { rooms, limit },
    );
    if (!ack.ok) throw new Error(`sync failed: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  it('answers what was stored after each cursor, oldest first, for several rooms at once', async () => {
    const owner = await signIn(t);
    const first = await createRoom(t, owner.accessToken, 'first');
    const second = await createRoom(t, owner.accessToken, 'second');
    const { socket } = await member(first, owner);
    await emitWithAck(socket, 'join_room', { room: second.id });
    const inFirst = await sendMany(socket, first, 5);
    const inSecond = await sendMany(socket, second, 2);

    const result = await sync(socket, { [first.id]: 2, [second.id]: 0 });

    expect(result.refused).toEqual([]);
    const byRoom = new Map(result.rooms.map((page) => [page.room, page]));
    expect(byRoom.get(first.id)).toEqual({
      room: first.id,
      messages: inFirst.slice(2),
      lastSeq: 5,
      hasMore: false,
      // Not asked for changes: none, and the cursor 0.
      changed: [],
      changeSeq: 0,
      hasMoreChanges: false,
    });
    expect(byRoom.get(second.id)).toEqual({
      room: second.id,
      messages: inSecond,
      lastSeq: 2,
      hasMore: false,
      changed: [],
      changeSeq: 0,
      hasMoreChanges: false,
    });
    // Up to date: nothing to send.
    expect((await sync(socket, { [first.id]: 5 })).rooms[0]).toMatchObject({
      messages: [],
      hasMore: false,
    });
  });

  it('pages with hasMore until caught up, with no message missing or repeated', async () => {
    const owner = await signIn(t);
    const room = await createRoom(t, owner.accessToken);
    const { socket } = await member(room, owner);
    const sent = await sendMany(socket, room, 7);

    const seen: MessageDto[] = [];
    let cursor = 0;
    let rounds = 0;
    for (let more = true; more; rounds += 1) {
      const [page] = (await sync(socket, { [room.id]: cursor }, 3)).rooms;
      seen.push(...page.messages);
      cursor = page.messages.at(-1)?.seq ?? cursor;
      more = page.hasMore;
    }
    expect(rounds).toBe(3);
    expect(seen).toEqual(sent);
  });

  it('lets anyone who may read the history sync, and refuses the other rooms one by one', async () => {
    const owner = await signIn(t);
    const outsider = await signIn(t);
    const open = await createRoom(t, owner.accessToken, 'public');
    const hidden = await createRoomOfKind(t, owner, 'private');
    const banning = await createRoom(t, owner.accessToken, 'banning');
    const { socket: ownerSocket } = await member(open, owner);
    await sendMany(ownerSocket, open, 1);
    await member(banning, outsider);
    await call(t, 'put', `/api/rooms/${banning.id}/bans/${outsider.user.id}`, bearer(owner)).expect(
      200,
    );
    const socket = await connectSocket(t.baseUrl, outsider.accessToken);
    sockets.push(socket);
    const unknown = 'zzzzzzzzzz';

    const result = await sync(socket, {
      [open.id]: 0,
      [hidden.id]: 0,
      [banning.id]: 0,
      [unknown]: 0,
    });

    expect(result.rooms.map((page) => [page.room, page.messages.length])).toEqual([[open.id, 1]]);
    expect(result.refused).toEqual(
      expect.arrayContaining([
        { room: hidden.id, code: 'not_a_member' },
        { room: banning.id, code: 'banned' },
        { room: unknown, code: 'room_not_found' },
      ]),
    );
    expect(result.refused).toHaveLength(3);
  });

  it.each([
    ['not an object', 'rooms'],
    ['an array', { rooms: [] }],
    ['a room id that is not one', { rooms: { 'not-a-room': 0 } }],
    ['a negative seq', { rooms: { abcdefghij: -1 } }],
    ['a fractional seq', { rooms: { abcdefghij: 1.5 } }],
    ['a seq that is a string', { rooms: { abcdefghij: '3' } }],
    ['an operator as a key', { rooms: { $gt: 0 } }],
    [
      'too many rooms',
      {
        rooms: Object.fromEntries(
          Array.from({ length: SYNC_MAX_ROOMS + 1 }, (_v, i) => [
            i.toString(36).padStart(10, '0'),
            0,
          ]),
        ),
      },
    ],
    ['a limit over the maximum', { rooms: {}, limit: 10_000 }],
    ['an unknown field', { rooms: {}, since: 'yesterday' }],
  ])('refuses %s with validation_failed and keeps the connection', async (_what, payload) => {
    const socket = await connectSocket(t.baseUrl, (await signIn(t)).accessToken);
    sockets.push(socket);
    const ack = await emitRawWithAck(socket, 'sync', payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await emitWithAck(socket, 'sync', { rooms: {} })).toEqual({
      ok: true,
      data: { rooms: [], refused: [] },
    });
  });

  it('drops a __proto__ key before it can reach anything (no prototype pollution)', async () => {
    const socket = await connectSocket(t.baseUrl, (await signIn(t)).accessToken);
    sockets.push(socket);
    const ack = await emitRawWithAck(
      socket,
      'sync',
      JSON.parse('{"rooms": {"__proto__": {"x": 1}}}'),
    );
    expect(ack).toEqual({ ok: true, data: { rooms: [], refused: [] } });
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('takes the next free seq when another writer (another instance) stored one meanwhile', async () => {
    const owner = await signIn(t);
    const room = await createRoom(t, owner.accessToken);
    const { socket } = await member(room, owner);
    await sendMany(socket, room, 2);
    // What a second server process would do: store seq 3 behind this process's back.
    const messages = t.app.get<Model<Message>>(getModelToken(Message.name));
    await messages.create({
      room: room.id,
      seq: 3,
      sender: new Types.ObjectId(owner.user.id),
      senderUsername: owner.user.username,
      senderDisplayName: owner.user.displayName,
      content: 'from elsewhere',
      clientMessageId: randomUUID(),
      createdAt: new Date(),
    });

    const [next] = await sendMany(socket, room, 1);

    expect(next.seq).toBe(4);
    const page = await sync(socket, { [room.id]: 0 });
    expect(page.rooms[0].messages.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
  });

  it('re-announces a resend (receivers de-duplicate by id) and stores it once', async () => {
    const room = await createRoom(t, (await signIn(t)).accessToken);
    const ann = await member(room);
    const bob = await member(room);
    const received = recordEvents(bob.socket, 'new_message');
    const payload = { room: room.id, content: 'hello', clientMessageId: randomUUID() };

    const acks = await Promise.all(
      Array.from({ length: 5 }, () => emitWithAck(ann.socket, 'send_message', payload)),
    );
    const barrier = nextEvent(bob.socket, 'new_message');
    await emitWithAck(ann.socket, 'send_message', { ...payload, clientMessageId: randomUUID() });
    await barrier;

    const [first] = acks;
    if (!first.ok) throw new Error('send failed');
    expect(acks.every((ack) => ack.ok && ack.data.id === first.data.id)).toBe(true);
    expect(new Set(received.map((message) => message.id)).size).toBe(2);
    const stored = (await sync(bob.socket, { [room.id]: 0 })).rooms[0].messages;
    expect(stored.map((message) => [message.seq, message.content])).toEqual([
      [1, 'hello'],
      [2, 'hello'],
    ]);
  });

  it('a client that missed messages while away gets exactly those from sync', async () => {
    const room = await createRoom(t, (await signIn(t)).accessToken);
    const ann = await member(room);
    const bob = await member(room);
    const before = await sendMany(ann.socket, room, 2);
    closeSockets(bob.socket);
    const missed = await sendMany(ann.socket, room, 3);

    const back = await connectSocket(t.baseUrl, bob.user.accessToken);
    sockets.push(back);
    await emitWithAck(back, 'join_room', { room: room.id });
    const result: SyncResultDto = await sync(back, { [room.id]: before.at(-1)?.seq ?? 0 });

    expect(result.rooms[0].messages).toEqual(missed);
  });
});

describe('graceful shutdown', () => {
  it('finishes the sends in flight, acks them, refuses new work, then drops connections so clients reconnect', async () => {
    const t = await startTestApp();
    const sockets: ClientSocket[] = [];
    try {
      const owner = await signIn(t);
      const room = await createRoom(t, owner.accessToken);
      const socket = await connectSocket(t.baseUrl, owner.accessToken);
      sockets.push(socket);
      await emitWithAck(socket, 'join_room', { room: room.id });
      const disconnected = waitForDisconnect(socket);
      // Hold the send inside the server, so the drain provably starts while it is in flight.
      const service = t.app.get(MessagesService);
      const send = service.send.bind(service);
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      jest.spyOn(service, 'send').mockImplementation(async (...args) => {
        entered();
        await gate;
        return send(...args);
      });

      const inFlight = emitWithAck(socket, 'send_message', {
        room: room.id,
        content: 'in flight',
        clientMessageId: randomUUID(),
      });
      await inside;
      const shutdown = closeGracefully(t.app);
      // Draining: new work is refused while the held send still runs.
      expect(await emitWithAck(socket, 'sync', { rooms: {} })).toMatchObject({
        ok: false,
        error: { code: 'unavailable' },
      });
      release();

      expect(await inFlight).toMatchObject({ ok: true, data: { seq: 1, content: 'in flight' } });
      // "transport close" is a drop Socket.IO clients reconnect from by themselves;
      // "io server disconnect" would tell them to stay away.
      expect(await disconnected).toBe('transport close');
      await shutdown;
    } finally {
      closeSockets(...sockets);
      await t.close().catch(() => undefined);
    }
  });
});
