import { randomUUID } from 'node:crypto';
import type { AuthSessionDto, ErrorResponseDto, MessagePageDto, RoomDto } from '@parley/contracts';
import { closeSockets, connectSocket, emitWithAck, type ClientSocket } from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { createRoom, signIn } from './support/users';

describe('rooms and message history (REST)', () => {
  let t: TestApp;
  let ann: AuthSessionDto;

  beforeAll(async () => {
    t = await startTestApp();
    ann = await signIn(t, 'Ann');
  });

  afterAll(async () => {
    await t.close();
  });

  const get = (path: string) => t.http.get(path).auth(ann.accessToken, { type: 'bearer' });

  describe('rooms', () => {
    it('creates a room with a short shareable id and a trimmed name', async () => {
      const room = await createRoom(t, ann.accessToken, '  Book club  ');
      expect(room).toEqual({
        id: expect.stringMatching(/^[0-9a-z]{10}$/),
        name: 'Book club',
        kind: 'public',
        topic: null,
        editWindowSeconds: null,
        role: 'owner',
        createdBy: ann.user.id,
        lastSeq: 0,
        lastMessage: null,
        readSeq: 0,
        notify: 'mentions',
        peer: null,
        createdAt: expect.any(String),
      });
    });

    it('gets a room by id', async () => {
      const room = await createRoom(t, ann.accessToken);
      const response = await get(`/api/rooms/${room.id}`).expect(200);
      expect(response.body).toEqual(room);
    });

    it('lists rooms, the most recently active first', async () => {
      const older = await createRoom(t, ann.accessToken, 'older');
      const newer = await createRoom(t, ann.accessToken, 'newer');

      // A message makes the older room the most recently active one. (Comparing the two creation
      // times directly would be flaky: both can fall in the same millisecond.)
      const socket = await connectSocket(t.baseUrl, ann.accessToken);
      try {
        await emitWithAck(socket, 'join_room', { room: older.id });
        await emitWithAck(socket, 'send_message', {
          room: older.id,
          content: 'bump',
          clientMessageId: randomUUID(),
        });
      } finally {
        closeSockets(socket);
      }
      const rooms = (await get('/api/rooms').expect(200)).body as RoomDto[];
      const ids = rooms.map((room) => room.id);
      expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
      expect(rooms.find((room) => room.id === older.id)?.lastSeq).toBe(1);
    });

    it.each([
      ['empty', { name: '' }],
      ['whitespace only', { name: '   ' }],
      ['too long', { name: 'x'.repeat(81) }],
      ['missing', {}],
      ['not a string', { name: ['a'] }],
      ['sent with an unknown field', { name: 'ok', lastSeq: 5 }],
    ])('refuses a name that is %s with 400 validation_failed', async (_case, body) => {
      const response = await t.http
        .post('/api/rooms')
        .auth(ann.accessToken, { type: 'bearer' })
        .send(body)
        .expect(400);
      const { error } = response.body as ErrorResponseDto;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.issues?.length).toBeGreaterThan(0);
    });

    it('answers 404 room_not_found for an unknown id and 400 for a malformed one', async () => {
      const unknown = await get('/api/rooms/zzzzzzzzzz').expect(404);
      expect((unknown.body as ErrorResponseDto).error.code).toBe('room_not_found');
      const malformed = await get('/api/rooms/NOT-AN-ID').expect(400);
      expect((malformed.body as ErrorResponseDto).error.code).toBe('validation_failed');
    });

    it('requires a token for every room route', async () => {
      const room = await createRoom(t, ann.accessToken);
      await t.http.get('/api/rooms').expect(401);
      await t.http.post('/api/rooms').send({ name: 'x' }).expect(401);
      await t.http.get(`/api/rooms/${room.id}`).expect(401);
      await t.http.get(`/api/rooms/${room.id}/messages`).expect(401);
    });
  });

  describe('GET /api/rooms/{id}/messages', () => {
    const TOTAL = 120;
    // send_message allows a burst of 20 per user, so the history is written by several people.
    const SENDERS = 6;
    let room: RoomDto;
    const sockets: ClientSocket[] = [];
    const senders: AuthSessionDto[] = [];

    beforeAll(async () => {
      room = await createRoom(t, ann.accessToken, 'history');
      for (let sender = 0; sender < SENDERS; sender += 1) {
        const session = await signIn(t, `Sender ${sender}`);
        senders.push(session);
        const socket = await connectSocket(t.baseUrl, session.accessToken);
        sockets.push(socket);
        await emitWithAck(socket, 'join_room', { room: room.id });
      }
      for (let index = 1; index <= TOTAL; index += 1) {
        const socket = sockets[index % SENDERS];
        if (!socket) throw new Error('no socket');
        const ack = await emitWithAck(socket, 'send_message', {
          room: room.id,
          content: `message ${index}`,
          clientMessageId: randomUUID(),
        });
        expect(ack).toMatchObject({ ok: true });
      }
    });

    afterAll(() => closeSockets(...sockets));

    it('returns the newest 50 by default, oldest first', async () => {
      const page = (await get(`/api/rooms/${room.id}/messages`).expect(200)).body as MessagePageDto;
      expect(page.items.map((message) => message.seq)).toEqual(range(TOTAL - 49, TOTAL));
      expect(page.items[0]?.content).toBe(`message ${TOTAL - 49}`);
      expect(page.nextBefore).toBe(TOTAL - 49);
      expect(page.items[0]).not.toHaveProperty('_id');
      expect(page.items[0]).not.toHaveProperty('__v');
      // The first sender sent every SENDERS-th message.
      expect(page.items.find((message) => message.seq % SENDERS === 0)?.sender).toEqual({
        id: senders[0]?.user.id,
        username: senders[0]?.user.username,
        displayName: 'Sender 0',
      });
    });

    it('pages back with before/limit with no gaps, and ends with nextBefore null', async () => {
      const seen: number[] = [];
      let before: number | null | undefined;
      let pages = 0;
      do {
        const query = before === undefined ? '?limit=35' : `?limit=35&before=${before}`;
        const page = (await get(`/api/rooms/${room.id}/messages${query}`).expect(200))
          .body as MessagePageDto;
        expect(page.items.length).toBeLessThanOrEqual(35);
        seen.unshift(...page.items.map((message) => message.seq));
        before = page.nextBefore;
        pages += 1;
      } while (before !== null);
      expect(pages).toBe(Math.ceil(TOTAL / 35));
      expect(seen).toEqual(range(1, TOTAL));
    });

    it('returns an empty page for a room without messages', async () => {
      const empty = await createRoom(t, ann.accessToken, 'quiet');
      const page = (await get(`/api/rooms/${empty.id}/messages`).expect(200))
        .body as MessagePageDto;
      expect(page).toEqual({ items: [], nextBefore: null, changeSeq: 0 });
    });

    it.each(['limit=201', 'limit=0', 'limit=abc', 'before=0', 'before=1.5', 'sort=asc'])(
      'refuses ?%s with 400 validation_failed',
      async (query) => {
        const response = await get(`/api/rooms/${room.id}/messages?${query}`).expect(400);
        expect((response.body as ErrorResponseDto).error.code).toBe('validation_failed');
      },
    );

    it('accepts the maximum page size', async () => {
      const page = (await get(`/api/rooms/${room.id}/messages?limit=200`).expect(200))
        .body as MessagePageDto;
      expect(page.items).toHaveLength(TOTAL);
      expect(page.nextBefore).toBeNull();
    });

    it('answers 404 room_not_found for an unknown room', async () => {
      const response = await get('/api/rooms/zzzzzzzzzz/messages').expect(404);
      expect((response.body as ErrorResponseDto).error.code).toBe('room_not_found');
    });
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_value, index) => from + index);
}
