import { randomBytes, randomUUID } from 'node:crypto';
import { getConnectionToken } from '@nestjs/mongoose';
import type {
  AuthSessionDto,
  ErrorResponseDto,
  MessageDto,
  MessagePageDto,
  SearchResultDto,
} from '@parley/contracts';
import { type Connection, Types } from 'mongoose';
import { SEARCH_BACKFILL_ID, SearchTokensBackfill } from '../src/search/search-tokens-backfill';
import { acceptInvite, bearer, call, createInvite, createRoomOfKind } from './support/rooms';
import { closeSockets, connectSocket, emitWithAck, type ClientSocket } from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn } from './support/users';

describe('message search (GET /api/search/messages) and jump pages (?around)', () => {
  let t: TestApp;
  let ann: AuthSessionDto;
  let bob: AuthSessionDto;
  let carol: AuthSessionDto;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      REST_RATE_LIMIT_PER_MINUTE: '1000000',
      SEND_MESSAGES_PER_10_SECONDS: '1000000',
      SOCKET_EVENTS_PER_10_SECONDS: '1000000',
    });
    [ann, bob, carol] = await Promise.all([signIn(t, 'Ann'), signIn(t, 'Bob'), signIn(t, 'Carol')]);
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await t.close();
  });

  /** A word no other test uses, so searches across rooms see only this test's messages. */
  function marker(): string {
    return `mk${randomBytes(5).toString('hex')}`;
  }

  async function socketOf(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  /** A public room owned by `owner`, with an owner socket joined to it. */
  async function roomWithSocket(
    owner: AuthSessionDto,
    kind: 'public' | 'private' = 'public',
  ): Promise<{ room: string; socket: ClientSocket }> {
    const room = await createRoomOfKind(t, owner, kind);
    const socket = await socketOf(owner);
    expect(await emitWithAck(socket, 'join_room', { room: room.id })).toMatchObject({ ok: true });
    return { room: room.id, socket };
  }

  async function post(socket: ClientSocket, room: string, content: string): Promise<MessageDto> {
    const ack = await emitWithAck(socket, 'send_message', {
      room,
      content,
      clientMessageId: randomUUID(),
    });
    if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
    return ack.data;
  }

  function search(session: AuthSessionDto | undefined, query: Record<string, string | number>) {
    const request = t.http.get('/api/search/messages').query(query);
    return session ? request.auth(session.accessToken, { type: 'bearer' }) : request;
  }

  async function found(
    session: AuthSessionDto,
    query: Record<string, string | number>,
  ): Promise<SearchResultDto> {
    const response = await search(session, query);
    expect([response.status, response.body]).toEqual([200, expect.anything()]);
    return response.body as SearchResultDto;
  }

  /** The contents found, newest first. */
  async function contents(room: string, q: string): Promise<string[]> {
    const result = await found(ann, { q, room });
    return result.items.map((hit) => hit.message.content);
  }

  /** Each hit's highlighted stretches, as text. */
  function highlighted(result: SearchResultDto): string[][] {
    return result.items.map((hit) =>
      hit.highlights.map(({ start, end }) => hit.message.content.slice(start, end)),
    );
  }

  describe('matching', () => {
    let room: string;

    beforeAll(async () => {
      const owned = await roomWithSocket(ann);
      room = owned.room;
      // Oldest first; results come back newest first.
      for (const content of [
        'The quick brown fox',
        'Quickly now, the quiz starts',
        'a slow turtle',
        '我们明天去北京开会',
        '北京 京大',
        '東京タワーに行きました',
        '한국어 검색을 지원합니다',
        'Meeting at 東京駅 tomorrow',
        'Rendez-vous au CAFÉ de ＰＡＲＩＳ',
        'Spelled out: cafe\u0301 au lait',
        '😀 𠮷野家 😀 hello',
      ]) {
        await post(owned.socket, room, content);
      }
    });

    it('finds Latin words and words by their start, newest first', async () => {
      expect(await contents(room, 'quick')).toEqual([
        'Quickly now, the quiz starts',
        'The quick brown fox',
      ]);
      expect(await contents(room, 'qui')).toEqual([
        'Quickly now, the quiz starts',
        'The quick brown fox',
      ]);
      expect(await contents(room, 'qui fox')).toEqual(['The quick brown fox']);
      expect(await contents(room, 'TURTLE')).toEqual(['a slow turtle']);
    });

    it('does not find text inside a Latin word, or a message missing one of the terms', async () => {
      expect(await contents(room, 'uick')).toEqual([]);
      expect(await contents(room, 'quick turtle')).toEqual([]);
    });

    it('finds Chinese, Japanese and Korean substrings of one, two and more characters', async () => {
      expect(await contents(room, '北')).toEqual(['北京 京大', '我们明天去北京开会']);
      expect(await contents(room, '北京')).toEqual(['北京 京大', '我们明天去北京开会']);
      expect(await contents(room, '明天去北京')).toEqual(['我们明天去北京开会']);
      expect(await contents(room, 'タ')).toEqual(['東京タワーに行きました']);
      expect(await contents(room, 'タワー')).toEqual(['東京タワーに行きました']);
      expect(await contents(room, 'ワーに行き')).toEqual(['東京タワーに行きました']);
      expect(await contents(room, '검')).toEqual(['한국어 검색을 지원합니다']);
      expect(await contents(room, '검색')).toEqual(['한국어 검색을 지원합니다']);
      expect(await contents(room, '색을 지원합')).toEqual(['한국어 검색을 지원합니다']);
      expect(await contents(room, '京駅')).toEqual(['Meeting at 東京駅 tomorrow']);
    });

    it('does not find CJK text whose pairs are all there but not in a row', async () => {
      // "北京 京大" stores both 北京 and 京大, yet not 北京大.
      expect(await contents(room, '北京大')).toEqual([]);
      expect(await contents(room, '京北')).toEqual([]);
    });

    it('finds mixed Latin and CJK terms together', async () => {
      const result = await found(ann, { q: 'tom 東京', room });
      expect(highlighted(result)).toEqual([['東京', 'tom']]);
    });

    it('ignores case, width and Latin accents (NFKC), both in the text and in the query', async () => {
      expect(await contents(room, 'cafe')).toEqual([
        'Spelled out: cafe\u0301 au lait',
        'Rendez-vous au CAFÉ de ＰＡＲＩＳ',
      ]);
      expect(await contents(room, 'Café')).toHaveLength(2);
      expect(await contents(room, 'paris')).toEqual(['Rendez-vous au CAFÉ de ＰＡＲＩＳ']);
      expect(await contents(room, 'ｐａｒ')).toEqual(['Rendez-vous au CAFÉ de ＰＡＲＩＳ']);
    });

    it('highlights exact [start, end) ranges in the original text', async () => {
      const quick = await found(ann, { q: 'qu', room });
      expect(highlighted(quick)).toEqual([['Qu', 'qu'], ['qu']]);
      expect(quick.items[0]?.highlights).toEqual([
        { start: 0, end: 2 },
        { start: 17, end: 19 },
      ]);

      // A decomposed é is one letter: its combining mark is highlighted with it.
      const accents = await found(ann, { q: 'cafe', room });
      expect(highlighted(accents)).toEqual([['cafe\u0301'], ['CAFÉ']]);
      // Fullwidth letters are one UTF-16 unit each, like the ASCII they fold to.
      const width = await found(ann, { q: 'CAFE paris', room });
      expect(width.items[0]?.highlights).toEqual([
        { start: 15, end: 19 },
        { start: 23, end: 28 },
      ]);

      // UTF-16 offsets around surrogate pairs: 😀 and 𠮷 are two units each.
      const astral = await found(ann, { q: '𠮷野 hello', room });
      expect(astral.items[0]?.highlights).toEqual([
        { start: 3, end: 6 },
        { start: 11, end: 16 },
      ]);
      expect(highlighted(astral)).toEqual([['𠮷野', 'hello']]);
    });
  });

  describe('scope', () => {
    const word = marker();
    let annPublic: string;
    let shared: string;
    let bobPublic: string;
    let carolPrivate: string;

    beforeAll(async () => {
      const annOwned = await roomWithSocket(ann);
      annPublic = annOwned.room;
      await post(annOwned.socket, annPublic, `${word} in Ann's public room`);

      const sharedRoom = await roomWithSocket(ann, 'private');
      shared = sharedRoom.room;
      await acceptInvite(t, bob, (await createInvite(t, ann, shared)).code);
      const bobSocket = await socketOf(bob);
      expect(await emitWithAck(bobSocket, 'join_room', { room: shared })).toMatchObject({
        ok: true,
      });
      await post(bobSocket, shared, `${word} from Bob in the shared private room`);

      // A public room Ann could read but never joined, and a private room she is not in.
      const bobOwned = await roomWithSocket(bob);
      bobPublic = bobOwned.room;
      await post(bobOwned.socket, bobPublic, `${word} in Bob's public room`);
      const carolOwned = await roomWithSocket(carol, 'private');
      carolPrivate = carolOwned.room;
      await post(carolOwned.socket, carolPrivate, `${word} in Carol's private room`);
    });

    it('searches every room I am a member of, and no other', async () => {
      const result = await found(ann, { q: word });
      expect(result.items.map((hit) => hit.message.room).sort()).toEqual(
        [annPublic, shared].sort(),
      );
      expect(result.nextBefore).toBeNull();
    });

    it('searches one room', async () => {
      const result = await found(ann, { q: word, room: shared });
      expect(result.items.map((hit) => hit.message.content)).toEqual([
        `${word} from Bob in the shared private room`,
      ]);
    });

    it('searches one public room I may read without being a member', async () => {
      const result = await found(ann, { q: word, room: bobPublic });
      expect(result.items.map((hit) => hit.message.room)).toEqual([bobPublic]);
    });

    it('refuses a private room I am not a member of, and an unknown room', async () => {
      const refused = await search(ann, { q: word, room: carolPrivate });
      expect(refused.status).toBe(403);
      expect((refused.body as ErrorResponseDto).error.code).toBe('not_a_member');

      const unknown = await search(ann, { q: word, room: 'zzzzzzzzzz' });
      expect(unknown.status).toBe(404);
      expect((unknown.body as ErrorResponseDto).error.code).toBe('room_not_found');
    });

    it('finds nothing for a user in no rooms', async () => {
      const loner = await signIn(t, 'Loner');
      expect(await found(loner, { q: word })).toEqual({ items: [], nextBefore: null });
    });

    it('requires a valid bearer token', async () => {
      const response = await search(undefined, { q: word });
      expect(response.status).toBe(401);
      expect((response.body as ErrorResponseDto).error.code).toBe('unauthorized');
      const forged = await t.http
        .get('/api/search/messages')
        .query({ q: word })
        .set('Authorization', 'Bearer not-a-token');
      expect(forged.status).toBe(401);
    });
  });

  it('pages newest first with an opaque cursor, without gaps or repeats', async () => {
    const word = marker();
    const { room, socket } = await roomWithSocket(ann);
    const sent: MessageDto[] = [];
    for (let index = 1; index <= 7; index += 1) {
      sent.push(await post(socket, room, `${word} number ${index}`));
    }
    await post(socket, room, 'unrelated chatter');

    const pages: string[][] = [];
    let before: string | null | undefined;
    do {
      const result = await found(ann, { q: word, limit: 3, ...(before ? { before } : {}) });
      pages.push(result.items.map((hit) => hit.message.id));
      before = result.nextBefore;
    } while (before);
    const newestFirst = sent.map((message) => message.id).reverse();
    expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
  });

  it('finds edited text and not the old text, and never a deleted message', async () => {
    const oldWord = marker();
    const newWord = marker();
    const gone = marker();
    const { room, socket } = await roomWithSocket(ann);
    const edited = await post(socket, room, `before ${oldWord}`);
    const deleted = await post(socket, room, `doomed ${gone}`);

    const edit = await emitWithAck(socket, 'edit_message', {
      room,
      id: edited.id,
      content: `after ${newWord}`,
    });
    expect(edit).toMatchObject({ ok: true });
    const removal = await emitWithAck(socket, 'delete_message', { room, id: deleted.id });
    expect(removal).toMatchObject({ ok: true });

    expect((await found(ann, { q: oldWord })).items).toEqual([]);
    const afterEdit = await found(ann, { q: newWord, room });
    expect(afterEdit.items.map((hit) => [hit.message.id, hit.message.content])).toEqual([
      [edited.id, `after ${newWord}`],
    ]);
    expect(highlighted(afterEdit)).toEqual([[newWord]]);
    expect((await found(ann, { q: gone })).items).toEqual([]);
    expect((await found(ann, { q: 'doomed', room })).items).toEqual([]);
  });

  it.each([
    ['an empty q', { q: '' }],
    ['a blank q', { q: '   ' }],
    ['a q that is too long', { q: 'x'.repeat(201) }],
    ['a q without letters or digits', { q: '!?… 🎉' }],
    ['a malformed room id', { q: 'hello', room: 'NOT-A-ROOM' }],
    ['a malformed cursor', { q: 'hello', before: 'yesterday' }],
    ['a limit of 0', { q: 'hello', limit: 0 }],
    ['a limit above the maximum', { q: 'hello', limit: 51 }],
    ['an unknown parameter', { q: 'hello', sort: 'oldest' }],
  ])('refuses %s with 400 validation_failed', async (_case, query) => {
    const response = await search(ann, query);
    expect(response.status).toBe(400);
    expect((response.body as ErrorResponseDto).error.code).toBe('validation_failed');
  });

  it('fills in tokens for messages stored before search existed (the backfill)', async () => {
    const word = marker();
    const { room } = await roomWithSocket(ann);
    const db = t.app.get<Connection>(getConnectionToken());
    const id = new Types.ObjectId();
    // As a server without search stored it: no searchTokens.
    await db.collection('messages').insertOne({
      _id: id,
      room,
      seq: 1,
      sender: new Types.ObjectId(ann.user.id),
      senderUsername: ann.user.username,
      senderDisplayName: ann.user.displayName,
      content: `legacy ${word} 旧い記録`,
      clientMessageId: randomUUID(),
      createdAt: new Date(),
    });
    expect((await found(ann, { q: word })).items).toEqual([]);

    await db.collection('search_backfill').deleteOne({ _id: SEARCH_BACKFILL_ID } as object);
    const outcome = await t.app.get(SearchTokensBackfill).run();
    expect(outcome).toEqual({ updated: 1, completed: true });
    const result = await found(ann, { q: `${word} 記録` });
    expect(result.items.map((hit) => hit.message.id)).toEqual([id.toHexString()]);
    // Done once: a second run does nothing.
    expect(await t.app.get(SearchTokensBackfill).run()).toEqual({ updated: 0, completed: true });
  });

  describe('GET /api/rooms/{id}/messages?around=seq', () => {
    let room: string;

    beforeAll(async () => {
      const owned = await roomWithSocket(ann);
      room = owned.room;
      for (let index = 1; index <= 30; index += 1) await post(owned.socket, room, `line ${index}`);
    });

    async function around(query: Record<string, number>): Promise<[number[], number | null]> {
      const response = await call(t, 'get', `/api/rooms/${room}/messages`, bearer(ann)).query(
        query,
      );
      expect(response.status).toBe(200);
      const page = response.body as MessagePageDto;
      return [page.items.map((message) => message.seq), page.nextBefore];
    }

    const range = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, index) => from + index);

    it('returns half the page before the seq and the rest from it', async () => {
      expect(await around({ around: 15, limit: 10 })).toEqual([range(10, 19), 10]);
      expect(await around({ around: 15, limit: 5 })).toEqual([range(13, 17), 13]);
    });

    it('fills the page from the other side near either end of the room', async () => {
      expect(await around({ around: 2, limit: 10 })).toEqual([range(1, 10), null]);
      expect(await around({ around: 29, limit: 10 })).toEqual([range(21, 30), 21]);
      expect(await around({ around: 500, limit: 4 })).toEqual([range(27, 30), 27]);
    });

    it('continues into older history with nextBefore as usual', async () => {
      const [, nextBefore] = await around({ around: 15, limit: 10 });
      const older = await call(t, 'get', `/api/rooms/${room}/messages`, bearer(ann)).query({
        before: nextBefore ?? 0,
        limit: 20,
      });
      expect((older.body as MessagePageDto).items.map((message) => message.seq)).toEqual(
        range(1, 9),
      );
    });

    it.each([
      ['with before', { around: 10, before: 20 }],
      ['zero', { around: 0 }],
      ['not a number', { around: 'ten' }],
    ])('refuses around %s with 400 validation_failed', async (_case, query) => {
      const response = await call(t, 'get', `/api/rooms/${room}/messages`, bearer(ann)).query(
        query,
      );
      expect(response.status).toBe(400);
      expect((response.body as ErrorResponseDto).error.code).toBe('validation_failed');
    });
  });
});
