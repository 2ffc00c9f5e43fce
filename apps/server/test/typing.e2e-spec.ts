import { randomUUID } from 'node:crypto';
import {
  TYPING_EXPIRES_MS,
  type AuthSessionDto,
  type RoomDto,
  type UserTypingDto,
} from '@parley/contracts';
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

describe('typing indicators', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto, room?: RoomDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    if (room) {
      expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
    }
    return socket;
  }

  async function roomWithAnnAndBob() {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoom(t, ann.accessToken);
    const annSocket = await connect(ann, room);
    const bobSocket = await connect(bob, room);
    return { ann, bob, room, annSocket, bobSocket };
  }

  it('shows the other members who is typing, not the typist’s own tabs, and nobody outside', async () => {
    const { ann, room, annSocket, bobSocket } = await roomWithAnnAndBob();
    const annOtherTab = await connect(ann, room);
    const outsider = await connect(await signIn(t));
    const toAnn = recordEvents(annOtherTab, 'user_typing');
    const toOutsider = recordEvents(outsider, 'user_typing');

    const seen = nextEvent(bobSocket, 'user_typing');
    expect(await emitWithAck(annSocket, 'typing', { room: room.id, isTyping: true })).toEqual({
      ok: true,
      data: { room: room.id },
    });
    expect(await seen).toEqual({
      room: room.id,
      user: { id: ann.user.id, username: ann.user.username, displayName: 'Ann' },
      isTyping: true,
      expiresInMs: TYPING_EXPIRES_MS,
    });

    const stopped = nextEvent(bobSocket, 'user_typing');
    await emitWithAck(annSocket, 'typing', { room: room.id, isTyping: false });
    expect(await stopped).toMatchObject({ isTyping: false, expiresInMs: 0 });
    // Ann's other tab and the outsider saw nothing; a last round trip makes sure.
    await emitWithAck(annOtherTab, 'sync', { rooms: {} });
    await emitWithAck(outsider, 'sync', { rooms: {} });
    expect(toAnn).toEqual([]);
    expect(toOutsider).toEqual([]);
  });

  it('ends the indicator when the typist sends the message', async () => {
    const { room, annSocket, bobSocket } = await roomWithAnnAndBob();
    const started = nextEvent(bobSocket, 'user_typing');
    await emitWithAck(annSocket, 'typing', { room: room.id, isTyping: true });
    await started;
    const stopped = nextEvent(bobSocket, 'user_typing');
    await emitWithAck(annSocket, 'send_message', {
      room: room.id,
      content: 'done typing',
      clientMessageId: randomUUID(),
    });
    expect(await stopped).toMatchObject({ isTyping: false });
  });

  it('ends the indicator when the typist disconnects', async () => {
    const { room, annSocket, bobSocket } = await roomWithAnnAndBob();
    const started = nextEvent(bobSocket, 'user_typing');
    await emitWithAck(annSocket, 'typing', { room: room.id, isTyping: true });
    await started;
    const stopped = nextEvent(bobSocket, 'user_typing');
    annSocket.disconnect();
    expect(await stopped).toMatchObject({ isTyping: false });
  });

  it(
    'expires an indicator that is not refreshed, so a silent client never stays "typing"',
    async () => {
      const { room, annSocket, bobSocket } = await roomWithAnnAndBob();
      const events = recordEvents(bobSocket, 'user_typing');
      const started = nextEvent(bobSocket, 'user_typing');
      const startedAt = Date.now();
      await emitWithAck(annSocket, 'typing', { room: room.id, isTyping: true });
      await started;
      // Not `nextEvent`: its own deadline is shorter than the expiry.
      const expired = await withTimeout(
        new Promise<UserTypingDto>((resolve) => untyped(bobSocket).once('user_typing', resolve)),
        'expiry',
        TYPING_EXPIRES_MS + 5_000,
      );
      expect(expired).toMatchObject({ isTyping: false });
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(TYPING_EXPIRES_MS - 50);
      expect(events.map((event) => event.isTyping)).toEqual([true, false]);
    },
    TYPING_EXPIRES_MS + 15_000,
  );

  it('refuses a room the socket has not joined, and invalid payloads, and keeps the connection', async () => {
    const { room } = await roomWithAnnAndBob();
    const stranger = await connect(await signIn(t));
    expect(await emitWithAck(stranger, 'typing', { room: room.id, isTyping: true })).toMatchObject({
      ok: false,
      error: { code: 'not_in_room' },
    });
    for (const payload of [
      { room: room.id },
      { room: room.id, isTyping: 'yes' },
      { room: 'nope', isTyping: true },
      { room: room.id, isTyping: true, extra: 1 },
      'typing',
    ]) {
      expect(await emitRawWithAck(stranger, 'typing', payload)).toMatchObject({
        ok: false,
        error: { code: 'validation_failed' },
      });
    }
    expect(stranger.connected).toBe(true);
  });
});
