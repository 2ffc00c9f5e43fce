import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SEEN_BY_MAX_MEMBERS,
  type AuthSessionDto,
  type MessageDto,
  type RoomMemberDto,
  type RoomViewDto,
} from '@parley/contracts';
import { until } from './support/instances-ledger';
import { acceptInvite, bearer, call, createInvite, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  nextEvent,
  recordEvents,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('read state: mark_read, read_state, read_receipt, unread counts, notification levels', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];
  /** Who each socket of `connect` belongs to. */
  const sessions = new Map<ClientSocket, AuthSessionDto>();

  beforeAll(async () => {
    // The 21-member room alone takes more requests than the default per-minute budget.
    t = await startTestApp({ REST_RATE_LIMIT_PER_MINUTE: '1000000' });
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    sessions.set(socket, session);
    return socket;
  }

  async function join(socket: ClientSocket, roomId: string): Promise<void> {
    expect(await emitWithAck(socket, 'join_room', { room: roomId })).toMatchObject({ ok: true });
  }

  async function send(socket: ClientSocket, roomId: string, content: string): Promise<MessageDto> {
    const ack = await emitWithAck(socket, 'send_message', {
      room: roomId,
      content,
      clientMessageId: randomUUID(),
    });
    if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
    return ack.data;
  }

  async function markRead(socket: ClientSocket, roomId: string, seq: number) {
    return emitWithAck(socket, 'mark_read', { room: roomId, seq });
  }

  async function roomView(session: AuthSessionDto, roomId: string): Promise<RoomViewDto> {
    const response = await call(t, 'get', `/api/rooms/${roomId}`, bearer(session)).expect(200);
    return response.body as RoomViewDto;
  }

  async function listed(session: AuthSessionDto, roomId: string): Promise<RoomViewDto> {
    const response = await call(t, 'get', '/api/rooms', bearer(session)).expect(200);
    const room = (response.body as RoomViewDto[]).find((candidate) => candidate.id === roomId);
    if (!room) throw new Error(`room ${roomId} not listed`);
    return room;
  }

  async function members(session: AuthSessionDto, roomId: string): Promise<RoomMemberDto[]> {
    const response = await call(t, 'get', `/api/rooms/${roomId}/members`, bearer(session));
    expect(response.status).toBe(200);
    return response.body as RoomMemberDto[];
  }

  /** A round trip on `socket`: anything emitted to it before has arrived once this resolves. */
  async function settle(...targets: ClientSocket[]): Promise<void> {
    for (const socket of targets) await emitWithAck(socket, 'sync', { rooms: {} });
  }

  /** Ann owns a public room, Bob is a member; both connected (Bob with two tabs). */
  async function annAndBob() {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoom(t, ann.accessToken);
    const annSocket = await connect(ann);
    const bobTab1 = await connect(bob);
    await join(bobTab1, room.id);
    const bobTab2 = await connect(bob);
    return { ann, bob, room, annSocket, bobTab1, bobTab2 };
  }

  /** Messages 1…count from Ann; waits until Ann's own cursor has followed the last one. */
  async function annSends(annSocket: ClientSocket, roomId: string, count: number) {
    const sent: MessageDto[] = [];
    for (let index = 1; index <= count; index += 1) {
      sent.push(await send(annSocket, roomId, `message ${index}`));
    }
    const ann = sessions.get(annSocket);
    if (!ann) throw new Error('annSends needs a socket from connect()');
    await ownCursorReaches(ann, roomId, count);
    return sent;
  }

  /**
   * Waits until `session`'s stored cursor in `roomId` reaches `readSeq`: senders' cursors follow
   * their own messages in a batch written every 250 ms, and nothing is pushed for it.
   */
  function ownCursorReaches(session: AuthSessionDto, roomId: string, readSeq: number) {
    return until(
      async () => (await listed(session, roomId)).readSeq >= readSeq,
      `the cursor of ${session.user.username} in ${roomId} to reach ${readSeq}`,
    );
  }

  describe('mark_read', () => {
    it('moves the caller’s cursor, answers it, and the room view shows it', async () => {
      const { ann, bob, room, annSocket, bobTab1 } = await annAndBob();
      await annSends(annSocket, room.id, 3);

      expect(await markRead(bobTab1, room.id, 2)).toEqual({
        ok: true,
        data: { room: room.id, readSeq: 2 },
      });
      // (`lastSeq` in views may trail a burst of messages by up to a second, never the cursor.)
      const bobView = await roomView(bob, room.id);
      expect(bobView.readSeq).toBe(2);
      expect(bobView.lastSeq).toBeGreaterThanOrEqual(2);
      // Ann's cursor followed her own messages: nothing of hers is unread to her.
      expect(await roomView(ann, room.id)).toMatchObject({ lastSeq: 3, readSeq: 3 });
    });

    it('refuses invalid payloads with validation_failed and keeps the connection', async () => {
      const { room, bobTab1 } = await annAndBob();
      for (const payload of [
        { room: room.id },
        { room: room.id, seq: 0 },
        { room: room.id, seq: -1 },
        { room: room.id, seq: 1.5 },
        { room: room.id, seq: '3' },
        { room: 'nope', seq: 1 },
        { room: room.id, seq: 1, extra: true },
        'mark_read',
      ]) {
        expect(await emitRawWithAck(bobTab1, 'mark_read', payload)).toMatchObject({
          ok: false,
          error: { code: 'validation_failed' },
        });
      }
      expect(bobTab1.connected).toBe(true);
    });

    it('answers not_a_member to anyone who is not a member, of any kind of room', async () => {
      const { ann, room, annSocket } = await annAndBob();
      await annSends(annSocket, room.id, 1);
      const secret = await createRoomOfKind(t, ann, 'private');
      const stranger = await connect(await signIn(t));
      for (const roomId of [room.id, secret.id, 'zzzzzzzzzz']) {
        expect(await markRead(stranger, roomId, 1)).toMatchObject({
          ok: false,
          error: { code: 'not_a_member' },
        });
      }
    });

    it('never moves backwards, whatever order concurrent and repeated calls land in', async () => {
      const { bob, room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      await annSends(annSocket, room.id, 6);

      const acks = await Promise.all([
        markRead(bobTab1, room.id, 5),
        markRead(bobTab2, room.id, 2),
        markRead(bobTab1, room.id, 4),
        markRead(bobTab2, room.id, 6),
        markRead(bobTab1, room.id, 1),
      ]);
      for (const ack of acks) expect(ack.ok).toBe(true);
      expect(await roomView(bob, room.id)).toMatchObject({ readSeq: 6 });

      // A late, lower or repeated seq answers the cursor as it stands.
      expect(await markRead(bobTab2, room.id, 3)).toEqual({
        ok: true,
        data: { room: room.id, readSeq: 6 },
      });
      expect(await markRead(bobTab1, room.id, 6)).toEqual({
        ok: true,
        data: { room: room.id, readSeq: 6 },
      });
      expect(await roomView(bob, room.id)).toMatchObject({ readSeq: 6 });
    });

    it('counts a seq beyond the newest stored message as the newest, even while the room summary trails', async () => {
      const { bob, room, annSocket, bobTab1 } = await annAndBob();
      // A burst: the room's lastSeq summary is written at once for the first message and at
      // most once a second after that, so it may still say 1 here; the clamp reads the messages.
      const burst = await Promise.all(
        [1, 2, 3, 4].map((index) => send(annSocket, room.id, `burst ${index}`)),
      );
      const newest = Math.max(...burst.map((message) => message.seq));

      expect(await markRead(bobTab1, room.id, 1_000)).toEqual({
        ok: true,
        data: { room: room.id, readSeq: newest },
      });
      // The next message is unread again.
      const next = await send(annSocket, room.id, 'one more');
      const view = await roomView(bob, room.id);
      expect(view.readSeq).toBe(newest);
      expect(next.seq).toBe(newest + 1);
    });

    it('an empty room has nothing to read: the cursor stays at 0', async () => {
      const { room, bobTab1 } = await annAndBob();
      expect(await markRead(bobTab1, room.id, 5)).toEqual({
        ok: true,
        data: { room: room.id, readSeq: 0 },
      });
    });
  });

  describe('read_state (every tab of the reader)', () => {
    it('reaches the reader’s other tabs when the cursor moves, and nobody else', async () => {
      const { room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      await annSends(annSocket, room.id, 2);
      const toAnn = recordEvents(annSocket, 'read_state');

      const inOtherTab = nextEvent(bobTab2, 'read_state');
      const inSameTab = nextEvent(bobTab1, 'read_state');
      await markRead(bobTab1, room.id, 2);
      expect(await inOtherTab).toEqual({ room: room.id, readSeq: 2 });
      expect(await inSameTab).toEqual({ room: room.id, readSeq: 2 });

      // No move, no event.
      const later = recordEvents(bobTab2, 'read_state');
      await markRead(bobTab1, room.id, 1);
      await settle(bobTab2, annSocket);
      expect(later).toEqual([]);
      expect(toAnn).toEqual([]);
    });

    it('follows the sender’s own messages, so they never count as unread, and pushes nothing for it', async () => {
      const { ann, room, annSocket } = await annAndBob();
      const annOtherTab = await connect(ann);
      const pushed = recordEvents(annOtherTab, 'read_state');
      const arrived = nextEvent(annOtherTab, 'new_message');
      const message = await send(annSocket, room.id, 'mine');
      // The other tab learns it from the message itself (clients treat their own as read).
      expect(await arrived).toEqual(message);
      await ownCursorReaches(ann, room.id, message.seq);
      expect(await listed(ann, room.id)).toMatchObject({ lastSeq: 1, readSeq: 1 });
      await settle(annOtherTab);
      expect(pushed).toEqual([]);
    });

    it('keeps unread counts right across two tabs: reading in one clears it in the list of the other', async () => {
      const { bob, room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      const arrived = nextEvent(bobTab1, 'new_message');
      // The first message of a quiet room is in the room summary before its ack.
      const message = await send(annSocket, room.id, 'unread');
      expect(await arrived).toEqual(message);
      const before = await listed(bob, room.id);
      expect(before).toMatchObject({ lastSeq: 1, readSeq: 0 });

      const pushed = nextEvent(bobTab1, 'read_state');
      await markRead(bobTab2, room.id, message.seq);
      expect(await pushed).toEqual({ room: room.id, readSeq: 1 });
      expect(await listed(bob, room.id)).toMatchObject({ lastSeq: 1, readSeq: 1 });
    });
  });

  describe('read_receipt ("seen by")', () => {
    it('reaches the other members of a small room, not the reader’s tabs, and not outsiders', async () => {
      const { bob, room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      await annSends(annSocket, room.id, 2);
      const outsider = await connect(await signIn(t));
      const toOutsider = recordEvents(outsider, 'read_receipt');
      const toBob = recordEvents(bobTab2, 'read_receipt');

      const receipt = nextEvent(annSocket, 'read_receipt');
      await markRead(bobTab1, room.id, 2);
      expect(await receipt).toEqual({ room: room.id, userId: bob.user.id, readSeq: 2 });
      await settle(bobTab2, outsider);
      expect(toBob.filter((event) => event.userId === bob.user.id)).toEqual([]);
      expect(toOutsider).toEqual([]);

      const listing = await members(bob, room.id);
      expect(listing.find((member) => member.user.id === bob.user.id)?.readSeq).toBe(2);
    });

    it('is sent in a direct conversation; own messages need none (their new_message says it)', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const response = await call(t, 'post', '/api/dms', bearer(ann), {
        username: bob.user.username,
      }).expect(200);
      const dm = response.body as RoomViewDto;
      const annSocket = await connect(ann);
      const bobSocket = await connect(bob);
      const toAnn = recordEvents(annSocket, 'read_receipt');

      // Bob's message moves his own cursor; Ann's new_message tells her.
      const arrived = nextEvent(annSocket, 'new_message');
      const fromBob = await send(bobSocket, dm.id, 'hi Ann');
      expect(await arrived).toEqual(fromBob);
      await ownCursorReaches(bob, dm.id, fromBob.seq);
      await settle(annSocket);
      expect(toAnn).toEqual([]);
      const listing = await members(ann, dm.id);
      expect(listing.find((member) => member.user.id === bob.user.id)?.readSeq).toBe(fromBob.seq);

      const seen = nextEvent(bobSocket, 'read_receipt');
      await markRead(annSocket, dm.id, fromBob.seq);
      expect(await seen).toEqual({ room: dm.id, userId: ann.user.id, readSeq: fromBob.seq });
    });

    it('is not sent for a member who does not share read state, whose cursor is hidden too', async () => {
      const { ann, bob, room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      await annSends(annSocket, room.id, 2);
      await call(t, 'patch', '/api/users/me', bearer(bob), { shareReadState: false }).expect(200);
      const toAnn = recordEvents(annSocket, 'read_receipt');

      // Bob's own tabs still follow his cursor.
      const ownState = nextEvent(bobTab2, 'read_state');
      await markRead(bobTab1, room.id, 2);
      expect(await ownState).toEqual({ room: room.id, readSeq: 2 });
      await settle(annSocket);
      expect(toAnn).toEqual([]);

      const listing = await members(ann, room.id);
      expect(listing.find((member) => member.user.id === bob.user.id)?.readSeq).toBeNull();
      // Ann shares hers (the default): her cursor followed her own messages.
      expect(listing.find((member) => member.user.id === ann.user.id)?.readSeq).toBe(2);
    });

    it(`is not sent in a room of more than ${SEEN_BY_MAX_MEMBERS} members, whose cursors are hidden`, async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const room = await createRoomOfKind(t, ann, 'private', 'Crowd');
      const invite = await createInvite(t, ann, room.id);
      await acceptInvite(t, bob, invite.code);
      for (let index = 3; index <= SEEN_BY_MAX_MEMBERS + 1; index += 1) {
        await acceptInvite(t, await signIn(t), invite.code);
      }
      expect(await members(ann, room.id)).toHaveLength(SEEN_BY_MAX_MEMBERS + 1);
      const annSocket = await connect(ann);
      const bobSocket = await connect(bob);
      await annSends(annSocket, room.id, 1);
      const toAnn = recordEvents(annSocket, 'read_receipt');

      const ownState = nextEvent(bobSocket, 'read_state');
      await markRead(bobSocket, room.id, 1);
      expect(await ownState).toEqual({ room: room.id, readSeq: 1 });
      await settle(annSocket);
      expect(toAnn).toEqual([]);
      const listing = await members(ann, room.id);
      expect(listing.every((member) => member.readSeq === null)).toBe(true);
    });
  });

  describe('PUT /api/rooms/{id}/notifications', () => {
    it('defaults to mentions in rooms and all in direct conversations', async () => {
      const { bob, room } = await annAndBob();
      expect(await roomView(bob, room.id)).toMatchObject({ notify: 'mentions' });
      const carol = await signIn(t, 'Carol');
      const response = await call(t, 'post', '/api/dms', bearer(carol), {
        username: bob.user.username,
      }).expect(200);
      expect(response.body).toMatchObject({ kind: 'direct', notify: 'all' });
    });

    it('sets the level, answers the room view, and tells every tab of the caller only', async () => {
      const { bob, room, annSocket, bobTab1, bobTab2 } = await annAndBob();
      const toAnn = recordEvents(annSocket, 'notifications_updated');
      const inTabs = [bobTab1, bobTab2].map((socket) => nextEvent(socket, 'notifications_updated'));

      const response = await call(t, 'put', `/api/rooms/${room.id}/notifications`, bearer(bob), {
        level: 'muted',
      }).expect(200);
      expect(response.body).toMatchObject({ id: room.id, role: 'member', notify: 'muted' });
      for (const event of await Promise.all(inTabs)) {
        expect(event).toEqual({ room: room.id, level: 'muted' });
      }
      expect(await listed(bob, room.id)).toMatchObject({ notify: 'muted' });
      await settle(annSocket);
      expect(toAnn).toEqual([]);
    });

    it('refuses invalid bodies, non-members, unknown rooms and missing tokens', async () => {
      const { ann, room } = await annAndBob();
      const path = `/api/rooms/${room.id}/notifications`;
      for (const body of [{}, { level: 'loud' }, { level: 'all', extra: 1 }, { level: ['all'] }]) {
        const response = await call(t, 'put', path, bearer(ann), body).expect(400);
        expect(response.body).toMatchObject({ error: { code: 'validation_failed' } });
      }
      await call(t, 'put', '/api/rooms/NOT-AN-ID/notifications', bearer(ann), {
        level: 'all',
      }).expect(400);
      const stranger = await signIn(t);
      const refused = await call(t, 'put', path, bearer(stranger), { level: 'all' }).expect(403);
      expect(refused.body).toMatchObject({ error: { code: 'not_a_member' } });
      const unknown = await call(t, 'put', '/api/rooms/zzzzzzzzzz/notifications', bearer(ann), {
        level: 'all',
      }).expect(404);
      expect(unknown.body).toMatchObject({ error: { code: 'room_not_found' } });
      await call(t, 'put', path, undefined, { level: 'all' }).expect(401);
    });
  });

  describe('room views for direct conversations', () => {
    it('show the other person with their presence, and the newest message', async () => {
      const ann = await signIn(t, 'Ann');
      const bob = await signIn(t, 'Bob');
      const bobSocket = await connect(bob);
      const added = nextEvent(bobSocket, 'room_added');
      const response = await call(t, 'post', '/api/dms', bearer(ann), {
        username: bob.user.username,
      }).expect(200);
      const dm = response.body as RoomViewDto;
      const annUser = { id: ann.user.id, username: ann.user.username, displayName: 'Ann' };
      const bobUser = { id: bob.user.id, username: bob.user.username, displayName: 'Bob' };
      expect(dm).toMatchObject({
        kind: 'direct',
        lastMessage: null,
        readSeq: 0,
        peer: { user: bobUser, presence: { status: 'online', lastSeenAt: null } },
      });
      // Bob's view names Ann (who is not connected).
      expect((await added).room).toMatchObject({
        id: dm.id,
        peer: { user: annUser, presence: { status: 'offline' } },
      });

      const annSocket = await connect(ann);
      const long = `${'x'.repeat(139)}😀 and more after the cut`;
      const message = await send(annSocket, dm.id, long);
      await ownCursorReaches(ann, dm.id, message.seq);
      const annList = await listed(ann, dm.id);
      expect(annList).toMatchObject({
        lastSeq: message.seq,
        readSeq: message.seq,
        lastMessage: {
          seq: message.seq,
          sender: annUser,
          // 140 characters, the emoji whole.
          excerpt: `${'x'.repeat(139)}😀`,
          createdAt: message.createdAt,
        },
        peer: { user: bobUser, presence: { status: 'online' } },
      });
      const bobList = await listed(bob, dm.id);
      expect(bobList).toMatchObject({
        lastSeq: message.seq,
        readSeq: 0,
        lastMessage: { seq: message.seq, sender: annUser },
        peer: { user: annUser, presence: { status: 'online' } },
      });

      // Opening it again answers the same room, as the caller sees it.
      const reopened = await call(t, 'post', '/api/dms', bearer(bob), {
        username: ann.user.username,
      }).expect(200);
      expect(reopened.body).toMatchObject({ id: dm.id, peer: { user: annUser }, readSeq: 0 });
    });

    it('members lists carry presence', async () => {
      const { ann, bob, room } = await annAndBob();
      const listing = await members(ann, room.id);
      expect(listing.find((member) => member.user.id === bob.user.id)?.presence).toEqual({
        status: 'online',
        lastSeenAt: null,
      });
    });
  });
});

// Only the embedded database lives in the data directory; an external one persists by itself.
const describeEmbedded = process.env['MONGODB_URI'] ? describe.skip : describe;

describeEmbedded('read state across a restart', () => {
  it('writes the senders’ cursors still waiting in the batch when the server shuts down', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-read-state-'));
    try {
      const first = await startTestApp({ PARLEY_DATA_DIR: dataDir });
      const ann = await signIn(first, 'Ann');
      const room = await createRoom(first, ann.accessToken);
      const socket = await connectSocket(first.baseUrl, ann.accessToken);
      const ack = await emitWithAck(socket, 'send_message', {
        room: room.id,
        content: 'just before shutdown',
        clientMessageId: randomUUID(),
      });
      expect(ack).toMatchObject({ ok: true, data: { seq: 1 } });
      // At once: the batch of cursor moves is still waiting for its interval.
      closeSockets(socket);
      await first.close();

      const second = await startTestApp({ PARLEY_DATA_DIR: dataDir });
      try {
        const response = await call(second, 'get', `/api/rooms/${room.id}`, bearer(ann));
        expect(response.body).toMatchObject({ lastSeq: 1, readSeq: 1 });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
