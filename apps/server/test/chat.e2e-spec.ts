import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import {
  SOCKET_MAX_PAYLOAD_BYTES,
  type AuthSessionDto,
  type MessageDto,
  type MessagePageDto,
  type RoomDto,
} from '@parley/contracts';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  expectConnectError,
  nextEvent,
  openSocket,
  recordEvents,
  untyped,
  waitForDisconnect,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('chat over Socket.IO', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterEach(() => {
    closeSockets(...sockets.splice(0));
  });

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  async function join(socket: ClientSocket, room: RoomDto): Promise<void> {
    const ack = await emitWithAck(socket, 'join_room', { room: room.id });
    expect(ack).toMatchObject({ ok: true, data: { room: { id: room.id, name: room.name } } });
  }

  async function history(session: AuthSessionDto, room: RoomDto): Promise<MessageDto[]> {
    const response = await t.http
      .get(`/api/rooms/${room.id}/messages?limit=200`)
      .auth(session.accessToken, { type: 'bearer' })
      .expect(200);
    return (response.body as MessagePageDto).items;
  }

  function send(
    socket: ClientSocket,
    room: RoomDto,
    content: string,
    clientMessageId: string = randomUUID(),
  ) {
    return emitWithAck(socket, 'send_message', { room: room.id, content, clientMessageId });
  }

  describe('handshake', () => {
    it('refuses a socket without a token', async () => {
      const socket = openSocket(t.baseUrl);
      sockets.push(socket);
      const error = await expectConnectError(socket);
      expect(error.message).toBe('unauthorized');
      expect(error.data).toEqual({ code: 'unauthorized' });
    });

    it('refuses a garbage token', async () => {
      const socket = openSocket(t.baseUrl, { token: 'not-a-jwt' });
      sockets.push(socket);
      expect((await expectConnectError(socket)).data).toEqual({ code: 'unauthorized' });
    });

    it('refuses a token signed with another secret', async () => {
      const ann = await signIn(t);
      const forged = await new JwtService({
        secret: 'another-secret-that-is-long-enough-1234',
      }).signAsync(
        { sub: ann.user.id, username: ann.user.username, name: ann.user.displayName },
        { algorithm: 'HS256', issuer: 'parley', audience: 'parley' },
      );
      const socket = openSocket(t.baseUrl, { token: forged });
      sockets.push(socket);
      expect((await expectConnectError(socket)).data).toEqual({ code: 'unauthorized' });
    });

    it('refuses an expired token', async () => {
      const ann = await signIn(t);
      const expired = await new JwtService({ secret: t.config.jwtSecret }).signAsync(
        { sub: ann.user.id, username: ann.user.username, name: ann.user.displayName },
        { algorithm: 'HS256', issuer: 'parley', audience: 'parley', expiresIn: -10 },
      );
      const socket = openSocket(t.baseUrl, { token: expired });
      sockets.push(socket);
      expect((await expectConnectError(socket)).data).toEqual({ code: 'unauthorized' });
    });
  });

  describe('join_room and leave_room', () => {
    it('joining makes a member and tells the room once; the joiner’s tabs hear nothing of it', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const room = await createRoom(t, ann.accessToken);
      const annSocket = await connect(ann);

      const notice = nextEvent(annSocket, 'system_message');
      const bobTab1 = await connect(bob);
      const bobTab2 = await connect(bob);
      const bobNotices = [bobTab1, bobTab2].map((socket) => recordEvents(socket, 'system_message'));
      await join(bobTab1, room);
      expect(await notice).toEqual({
        room: room.id,
        kind: 'join',
        user: { id: bob.user.id, username: bob.user.username, displayName: 'Bob' },
        content: 'Bob joined',
        createdAt: expect.any(String),
      });
      // Joining again (another tab, or after a reconnection) is not news.
      await join(bobTab2, room);
      await join(bobTab1, room);

      // Bob's second tab follows the room without a join_room of its own.
      const arrivals = [bobTab1, bobTab2].map((socket) => nextEvent(socket, 'new_message'));
      await send(annSocket, room, 'welcome');
      for (const message of await Promise.all(arrivals)) expect(message.content).toBe('welcome');
      expect(bobNotices.map((notices) => notices.length)).toEqual([0, 0]);
    });

    it('connections follow every room of their user from the handshake, and connecting or disconnecting announces nothing', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const first = await createRoom(t, ann.accessToken, 'First');
      const second = await createRoom(t, ann.accessToken, 'Second');
      const bobSetup = await connect(bob);
      await join(bobSetup, first);
      await join(bobSetup, second);

      const annSocket = await connect(ann);
      const annNotices = recordEvents(annSocket, 'system_message');
      const bobSocket = await connect(bob);
      bobSetup.disconnect();
      // No join_room on this connection: it receives both rooms' messages.
      const inFirst = nextEvent(annSocket, 'new_message');
      expect(await send(bobSocket, first, 'one')).toMatchObject({ ok: true });
      expect(await inFirst).toMatchObject({ room: first.id, content: 'one' });
      const inSecond = nextEvent(bobSocket, 'new_message');
      expect(await send(annSocket, second, 'two')).toMatchObject({ ok: true });
      expect(await inSecond).toMatchObject({ room: second.id, content: 'two' });
      // Ann heard nothing of Bob's tabs coming and going (events reach her in order, so a notice
      // would have arrived before "one").
      expect(annNotices).toEqual([]);
    });

    it('leave_room ends the membership: every tab stops following the room, and the room is told', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const room = await createRoom(t, ann.accessToken);
      const annSocket = await connect(ann);
      const bobTab1 = await connect(bob);
      await join(bobTab1, room);
      const bobTab2 = await connect(bob);
      const bobMessages = recordEvents(bobTab2, 'new_message');

      const removed = nextEvent(bobTab2, 'room_removed');
      const left = nextEvent(annSocket, 'system_message');
      expect(await emitWithAck(bobTab1, 'leave_room', { room: room.id })).toEqual({
        ok: true,
        data: { room: room.id },
      });
      expect(await removed).toEqual({ room: room.id, reason: 'left' });
      expect(await left).toMatchObject({ room: room.id, kind: 'leave', content: 'Bob left' });

      await send(annSocket, room, 'after Bob left');
      expect(await send(bobTab2, room, 'still here?')).toMatchObject({
        ok: false,
        error: { code: 'not_in_room' },
      });
      expect(bobMessages).toEqual([]);
      const members = await t.http
        .get(`/api/rooms/${room.id}/members`)
        .auth(ann.accessToken, { type: 'bearer' })
        .expect(200);
      expect((members.body as { user: { id: string } }[]).map((m) => m.user.id)).toEqual([
        ann.user.id,
      ]);
    });

    it('answers room_not_found for an unknown room', async () => {
      const ann = await signIn(t);
      const socket = await connect(ann);
      const ack = await emitWithAck(socket, 'join_room', { room: 'zzzzzzzzzz' });
      expect(ack).toEqual({
        ok: false,
        error: { code: 'room_not_found', message: expect.any(String) },
      });
    });

    it('leaving a room one is not a member of (or that does not exist) is a harmless no-op', async () => {
      const ann = await signIn(t);
      const room = await createRoom(t, ann.accessToken);
      const socket = await connect(await signIn(t));
      for (const id of [room.id, 'zzzzzzzzzz']) {
        expect(await emitWithAck(socket, 'leave_room', { room: id })).toEqual({
          ok: true,
          data: { room: id },
        });
      }
    });

    it('the last owner cannot leave with leave_room either', async () => {
      const ann = await signIn(t);
      const room = await createRoom(t, ann.accessToken);
      const socket = await connect(ann);
      expect(await emitWithAck(socket, 'leave_room', { room: room.id })).toMatchObject({
        ok: false,
        error: { code: 'last_owner' },
      });
      expect(await send(socket, room, 'still mine')).toMatchObject({ ok: true });
    });
  });

  describe('send_message', () => {
    it('stores a message and delivers it exactly once to every other socket, including the sender’s other tab', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const carol = await signIn(t, 'Carol');
      const room = await createRoom(t, ann.accessToken);
      const annTab1 = await connect(ann);
      const annTab2 = await connect(ann);
      const bobSocket = await connect(bob);
      const carolSocket = await connect(carol);
      for (const socket of [annTab1, annTab2, bobSocket, carolSocket]) await join(socket, room);
      const outsider = await connect(await signIn(t));
      const received = new Map(
        [annTab1, annTab2, bobSocket, carolSocket, outsider].map((socket) => [
          socket,
          recordEvents(socket, 'new_message'),
        ]),
      );

      const clientMessageId = randomUUID();
      const arrivals = [annTab2, bobSocket, carolSocket].map((socket) =>
        nextEvent(socket, 'new_message'),
      );
      const ack = await send(annTab1, room, '  Hello, room!  ', clientMessageId);
      expect(ack).toEqual({
        ok: true,
        data: {
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          room: room.id,
          seq: 1,
          sender: { id: ann.user.id, username: ann.user.username, displayName: 'Ann' },
          content: 'Hello, room!',
          mentions: [],
          mentionsRoom: false,
          clientMessageId,
          createdAt: expect.any(String),
          // A message never changed: first version, no change, nothing attached.
          version: 1,
          changeSeq: 0,
          editedAt: null,
          deletedAt: null,
          reactions: [],
          replyTo: null,
          pinnedAt: null,
          attachments: [],
        },
      });
      const stored = ack.ok ? ack.data : undefined;
      for (const message of await Promise.all(arrivals)) expect(message).toEqual(stored);
      expect(await history(bob, room)).toEqual([stored]);

      // Order is preserved per connection, so once a later message from Bob reaches every socket,
      // anything the first send could still have delivered would already be here.
      const barrier = [annTab1, annTab2, carolSocket].map((socket) =>
        nextEvent(socket, 'new_message'),
      );
      await send(bobSocket, room, 'barrier');
      await Promise.all(barrier);
      expect(received.get(annTab1)?.map((m) => m.content)).toEqual(['barrier']);
      expect(received.get(annTab2)?.map((m) => m.content)).toEqual(['Hello, room!', 'barrier']);
      expect(received.get(bobSocket)?.map((m) => m.content)).toEqual(['Hello, room!']);
      expect(received.get(carolSocket)?.map((m) => m.content)).toEqual(['Hello, room!', 'barrier']);
      expect(received.get(outsider)).toEqual([]);
    });

    it('always uses the authenticated user as the sender', async () => {
      const ann = await signIn(t, 'Ann');
      const room = await createRoom(t, ann.accessToken);
      const socket = await connect(ann);
      await join(socket, room);
      const ack = await emitRawWithAck(socket, 'send_message', {
        room: room.id,
        content: 'hi',
        clientMessageId: randomUUID(),
        sender: { id: 'someone-else' },
      });
      expect(ack).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      expect(await history(ann, room)).toEqual([]);
    });

    it('answers not_in_room to a user who is not a member (public room not joined, or left)', async () => {
      const ann = await signIn(t);
      const room = await createRoom(t, ann.accessToken);
      const bob = await signIn(t);
      const socket = await connect(bob);
      expect(await send(socket, room, 'hello?')).toMatchObject({
        ok: false,
        error: { code: 'not_in_room' },
      });
      await join(socket, room);
      await emitWithAck(socket, 'leave_room', { room: room.id });
      expect(await send(socket, room, 'hello?')).toMatchObject({
        ok: false,
        error: { code: 'not_in_room' },
      });
      expect(await history(ann, room)).toEqual([]);
    });

    it('returns the original for a resend with the same clientMessageId and stores nothing new', async () => {
      const ann = await signIn(t);
      const bob = await signIn(t);
      const room = await createRoom(t, ann.accessToken);
      const socket = await connect(ann);
      const bobSocket = await connect(bob);
      await join(socket, room);
      await join(bobSocket, room);
      const bobReceived = recordEvents(bobSocket, 'new_message');
      const clientMessageId = randomUUID();

      const first = await send(socket, room, 'once', clientMessageId);
      const again = await send(socket, room, 'once (retry)', clientMessageId);
      expect(first.ok && again.ok).toBe(true);
      expect(again).toEqual(first);

      const barrier = nextEvent(bobSocket, 'new_message');
      await send(socket, room, 'next');
      await barrier;
      // The resend is announced again (in case the first broadcast was lost with a crashed
      // instance); receivers de-duplicate by id.
      expect(bobReceived.map((message) => message.content)).toEqual(['once', 'once', 'next']);
      expect(new Set(bobReceived.map((message) => message.id)).size).toBe(2);
      expect((await history(ann, room)).map((message) => [message.seq, message.content])).toEqual([
        [1, 'once'],
        [2, 'next'],
      ]);
    });

    it('gives concurrent senders unique, gap-free seqs', async () => {
      const room = await createRoom(t, (await signIn(t)).accessToken);
      const clients = await Promise.all(
        Array.from({ length: 5 }, async () => {
          const socket = await connect(await signIn(t));
          await join(socket, room);
          return socket;
        }),
      );
      const acks = await Promise.all(
        clients.flatMap((socket, client) =>
          Array.from({ length: 8 }, (_value, index) =>
            send(socket, room, `client ${client} message ${index}`),
          ),
        ),
      );
      const seqs = acks.map((ack) => (ack.ok ? ack.data.seq : -1)).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 40 }, (_value, index) => index + 1));
      const stored = await history(await signIn(t), room);
      expect(stored.map((message) => message.seq)).toEqual(seqs);
    });
  });

  describe('bad input', () => {
    let ann: AuthSessionDto;
    let room: RoomDto;
    let socket: ClientSocket;
    let exceptions: unknown[];

    beforeEach(async () => {
      ann = await signIn(t);
      room = await createRoom(t, ann.accessToken);
      socket = await connect(ann);
      await join(socket, room);
      // Nest's default WS error path emits `exception` instead of answering the ack.
      exceptions = [];
      untyped(socket).on('exception', (payload: unknown) => exceptions.push(payload));
    });

    afterEach(() => {
      expect(exceptions).toEqual([]);
    });

    const validSend = () => ({ room: room.id, content: 'hello', clientMessageId: randomUUID() });

    it.each<[string, string, () => unknown[]]>([
      ['send_message: empty content', 'send_message', () => [{ ...validSend(), content: '' }]],
      [
        'send_message: whitespace content',
        'send_message',
        () => [{ ...validSend(), content: ' \n\t ' }],
      ],
      [
        'send_message: 4001 characters',
        'send_message',
        () => [{ ...validSend(), content: 'x'.repeat(4001) }],
      ],
      ['send_message: bad room id', 'send_message', () => [{ ...validSend(), room: 'ROOM!' }]],
      [
        'send_message: missing clientMessageId',
        'send_message',
        () => [{ room: room.id, content: 'hello' }],
      ],
      [
        'send_message: clientMessageId not a UUID',
        'send_message',
        () => [{ ...validSend(), clientMessageId: 'abc' }],
      ],
      [
        'send_message: extra sender field',
        'send_message',
        () => [{ ...validSend(), sender: 'mallory' }],
      ],
      ['send_message: non-object payload', 'send_message', () => ['hello']],
      ['send_message: null payload', 'send_message', () => [null]],
      ['send_message: no payload', 'send_message', () => []],
      ['send_message: two payloads', 'send_message', () => [validSend(), validSend()]],
      ['join_room: bad room id', 'join_room', () => [{ room: '../etc' }]],
      ['join_room: operator object', 'join_room', () => [{ room: { $ne: null } }]],
      ['join_room: non-object payload', 'join_room', () => [42]],
      ['join_room: extra field', 'join_room', () => [{ room: room.id, admin: true }]],
      ['leave_room: bad room id', 'leave_room', () => [{ room: 'x' }]],
      ['leave_room: non-object payload', 'leave_room', () => [[room.id]]],
    ])(
      '%s → validation_failed, nothing stored, socket still usable',
      async (_case, event, args) => {
        const ack = await emitRawWithAck(socket, event, ...args());
        expect(ack).toEqual({
          ok: false,
          error: {
            code: 'validation_failed',
            message: expect.any(String),
            details: { issues: expect.any(Array) },
          },
        });
        expect(socket.connected).toBe(true);
        expect(await history(ann, room)).toEqual([]);
        expect(await send(socket, room, 'still here')).toMatchObject({
          ok: true,
          data: { seq: 1 },
        });
      },
    );

    it('an unknown event or an emit without an ack callback does not break the connection', async () => {
      const raw = untyped(socket);
      raw.emit('send_message', { room: room.id, content: '' });
      raw.emit('send_message', validSend());
      raw.emit('no_such_event', { x: 1 });
      // Handlers on one connection may interleave, so wait for the fire-and-forget send to land.
      const ack = await send(socket, room, 'after');
      expect(ack.ok).toBe(true);
      expect(socket.connected).toBe(true);
    });

    it('a frame over 64 KB drops only that socket; the server and other clients carry on', async () => {
      const bob = await signIn(t);
      const bobSocket = await connect(bob);
      await join(bobSocket, room);
      const disconnected = waitForDisconnect(socket);
      untyped(socket).emit('send_message', {
        ...validSend(),
        content: 'x'.repeat(SOCKET_MAX_PAYLOAD_BYTES + 1),
      });
      expect(await disconnected).toBe('transport close');

      await t.http.get('/api/health').expect(200);
      expect(bobSocket.connected).toBe(true);
      expect(await send(bobSocket, room, 'still fine')).toMatchObject({
        ok: true,
        data: { seq: 1 },
      });
      expect((await history(bob, room)).map((message) => message.content)).toEqual(['still fine']);
      // The dropped user can simply reconnect.
      const again = await connect(ann);
      await join(again, room);
    });
  });
});
