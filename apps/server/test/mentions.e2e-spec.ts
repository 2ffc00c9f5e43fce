import { randomUUID } from 'node:crypto';
import {
  ROOM_MENTION_OPEN_MAX_MEMBERS,
  type AuthSessionDto,
  type MessageDto,
  type MessagePageDto,
  type RoomViewDto,
} from '@parley/contracts';
import { acceptInvite, bearer, call, createInvite, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitWithAck,
  nextEvent,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('mentions', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    // The crowded room alone takes more requests than the default per-minute budget.
    t = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '1000000' });
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  function send(socket: ClientSocket, roomId: string, content: string) {
    return emitWithAck(socket, 'send_message', {
      room: roomId,
      content,
      clientMessageId: randomUUID(),
    });
  }

  async function sent(socket: ClientSocket, roomId: string, content: string): Promise<MessageDto> {
    const ack = await send(socket, roomId, content);
    if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
    return ack.data;
  }

  async function history(session: AuthSessionDto, roomId: string): Promise<MessageDto[]> {
    const response = await call(t, 'get', `/api/rooms/${roomId}/messages`, bearer(session));
    expect(response.status).toBe(200);
    return (response.body as MessagePageDto).items;
  }

  /** A private room of `ROOM_MENTION_OPEN_MAX_MEMBERS + 1` members: Ann (owner), Bob, and guests. */
  async function crowdedRoom(): Promise<{
    ann: AuthSessionDto;
    bob: AuthSessionDto;
    room: RoomViewDto;
  }> {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoomOfKind(t, ann, 'private', 'Crowd');
    const invite = await createInvite(t, ann, room.id);
    await acceptInvite(t, bob, invite.code);
    for (let count = 3; count <= ROOM_MENTION_OPEN_MAX_MEMBERS + 1; count += 1) {
      await acceptInvite(t, await signIn(t), invite.code);
    }
    return { ann, bob, room };
  }

  it('stores @username mentions of members, in order, and everyone sees them: live, in history and in sync', async () => {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const carol = await signIn(t, 'Carol');
    const outsider = await signIn(t, 'Dave');
    const room = await createRoom(t, ann.accessToken);
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);
    const carolSocket = await connect(carol);
    for (const socket of [bobSocket, carolSocket]) {
      expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({
        ok: true,
      });
    }

    const live = nextEvent(bobSocket, 'new_message');
    const content =
      `@${carol.user.username.toUpperCase()}, ask @${bob.user.username}. ` +
      `Not @${outsider.user.username} (not here), nor @nobody-at-all, nor mail@${bob.user.username}; ` +
      `@${bob.user.username} again`;
    const message = await sent(annSocket, room.id, content);
    const expected = [
      { userId: carol.user.id, username: carol.user.username },
      { userId: bob.user.id, username: bob.user.username },
    ];
    expect(message).toMatchObject({ content, mentions: expected, mentionsRoom: false });
    expect(await live).toEqual(message);
    expect((await history(bob, room.id)).at(-1)).toEqual(message);
    const synced = await emitWithAck(carolSocket, 'sync', { rooms: { [room.id]: 0 } });
    expect(synced).toMatchObject({ ok: true, data: { rooms: [{ messages: [message] }] } });
  });

  it('a message without mentions has none', async () => {
    const ann = await signIn(t, 'Ann');
    const room = await createRoom(t, ann.accessToken);
    const socket = await connect(ann);
    expect(await sent(socket, room.id, 'no one in particular, ann@example.com')).toMatchObject({
      mentions: [],
      mentionsRoom: false,
    });
  });

  it(`lets any member use @room in a room of at most ${ROOM_MENTION_OPEN_MAX_MEMBERS} members`, async () => {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoom(t, ann.accessToken);
    const bobSocket = await connect(bob);
    expect(await emitWithAck(bobSocket, 'join_room', { room: room.id })).toMatchObject({
      ok: true,
    });
    expect(await sent(bobSocket, room.id, 'Dinner at 8, @room!')).toMatchObject({
      mentions: [],
      mentionsRoom: true,
    });
    // `@room` is never a person, even alongside people.
    expect(
      await sent(bobSocket, room.id, `@room and @${ann.user.username} especially`),
    ).toMatchObject({
      mentions: [{ userId: ann.user.id, username: ann.user.username }],
      mentionsRoom: true,
    });
  });

  it(`in a room of more than ${ROOM_MENTION_OPEN_MAX_MEMBERS} members, only owners and moderators may use @room`, async () => {
    const { ann, bob, room } = await crowdedRoom();
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);

    const refused = await send(bobSocket, room.id, 'Hey @room, look');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Nothing was stored, and the refusal did not take a seq.
    expect(await history(ann, room.id)).toEqual([]);

    expect(await sent(annSocket, room.id, 'Owners may: @room')).toMatchObject({
      seq: 1,
      mentionsRoom: true,
    });
    await call(t, 'patch', `/api/rooms/${room.id}/members/${bob.user.id}`, bearer(ann), {
      role: 'moderator',
    }).expect(200);
    expect(await sent(bobSocket, room.id, 'So may moderators: @room')).toMatchObject({
      seq: 2,
      mentionsRoom: true,
    });
    // Mentioning people stays open to everyone.
    const carolLike = await signIn(t);
    const invite = await createInvite(t, ann, room.id);
    await acceptInvite(t, carolLike, invite.code);
    const plain = await connect(carolLike);
    expect(await sent(plain, room.id, `@${ann.user.username} hello`)).toMatchObject({
      mentions: [{ userId: ann.user.id, username: ann.user.username }],
      mentionsRoom: false,
    });
  });
});
