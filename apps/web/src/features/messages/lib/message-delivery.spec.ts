import { QueryClient } from '@tanstack/react-query';
import { MemoryOutboxStore, type OutboxStore } from '@parley/chat-client';
import type { MessageDto, RoomViewDto } from '@parley/contracts';
import { ChatConnection, type ChatConnectionHooks } from '@/lib/chat-connection';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { messagesQueryKey, type MessagesData } from '../api/get-messages';
import { pinsQueryKey } from '../api/get-pins';
import { flattenMessages } from './message-cache';
import { MessageDelivery } from './message-delivery';
import { buildTimeline } from './timeline';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ROOM = 'abcdefghij';
const me = { id: 'me', username: 'me', displayName: 'Me' };
const ann = { id: 'ann', username: 'ann', displayName: 'Ann' };
const room: RoomViewDto = {
  id: ROOM,
  name: 'Lobby',
  kind: 'public',
  topic: null,
  createdBy: 'ann',
  lastSeq: 1,
  lastMessage: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 1,
  notify: 'mentions',
  peer: null,
  editWindowSeconds: null,
};

function message(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: `m${seq}`,
    room: ROOM,
    seq,
    sender: ann,
    content: `text ${seq}`,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 10, seq)).toISOString(),
    ...UNCHANGED_MESSAGE_FIELDS,
    ...overrides,
  };
}

const running: { stop(): void }[] = [];
afterEach(() => running.splice(0).forEach((part) => part.stop()));

/**
 * A session as the Shell wires it: a ChatConnection over a socket the test plays the server
 * of, the delivery on an outbox store, a real query client whose room history was fetched.
 */
async function setup({
  store = new MemoryOutboxStore(),
  history = [message(1)],
  changeSeq,
}: { store?: OutboxStore; history?: MessageDto[]; changeSeq?: number } = {}) {
  const socket = new FakeSocket();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // Called only once the connection runs, after `delivery` below exists (as in the Shell).
  const hooks: ChatConnectionHooks = {
    onUnauthorized: jest.fn(),
    onJoined: (joined) => delivery.joined(joined.id),
    onResynced: () => delivery.resynced(),
  };
  const connection = new ChatConnection(socket.asSocket(), hooks, {
    isOnline: () => true,
    addEventListener: jest.fn(),
    removeEventListener: jest.fn(),
  });
  const delivery = new MessageDelivery({ connection, queryClient, store });
  running.push(delivery, connection);
  delivery.start();
  connection.start();

  await queryClient.fetchInfiniteQuery({
    queryKey: messagesQueryKey(ROOM),
    queryFn: () =>
      Promise.resolve({
        items: history,
        nextBefore: null,
        ...(changeSeq === undefined ? {} : { changeSeq }),
      }),
    initialPageParam: undefined as number | undefined,
  });

  const cached = () =>
    flattenMessages(queryClient.getQueryData<MessagesData>(messagesQueryKey(ROOM)));
  const timeline = () =>
    buildTimeline({
      messages: cached(),
      pending: delivery.pending(ROOM),
      notices: [],
      own: me,
      now: new Date('2026-01-01T12:00:00.000Z'),
    }).flatMap((entry) =>
      entry.type === 'message' ? [`${entry.message.content}:${entry.message.status}`] : [],
    );
  const sends = () => socket.emittedOf('send_message');
  const joinSyncs = new Set<unknown>();
  /** The syncs after the join's own catch-up. */
  const syncs = () => socket.emittedOf('sync').filter((sync) => !joinSyncs.has(sync));
  /** Connects (again) and answers the join of every room the connection is in. */
  const connect = async () => {
    socket.serverConnect();
    await flushPromises();
    for (const join of socket.emittedOf('join_room').filter((item) => !answered.has(item))) {
      answered.add(join);
      join.ack(null, { ok: true, data: { room } });
    }
    await flushPromises();
  };
  const answered = new Set<unknown>();
  /**
   * Joins the room. History was fetched before the join, and messages sent in between reach
   * neither, so the join catches the followed room up with a sync (answered here: nothing new).
   */
  const joinRoom = async () => {
    const join = connection.joinRoom(ROOM);
    await connect();
    await join;
    const catchUps = socket.emittedOf('sync');
    const lastSeq = history.at(-1)?.seq ?? 0;
    const changes = changeSeq === undefined ? {} : { changes: { [ROOM]: changeSeq } };
    expect(catchUps.map((sync) => sync.payload)).toEqual([
      { rooms: { [ROOM]: lastSeq }, ...changes, limit: 100 },
    ]);
    joinSyncs.add(catchUps[0]);
    catchUps[0].ack(null, {
      ok: true,
      data: {
        rooms: [
          {
            room: ROOM,
            messages: [],
            lastSeq,
            hasMore: false,
            changed: [],
            changeSeq: changeSeq ?? 0,
            hasMoreChanges: false,
          },
        ],
        refused: [],
      },
    });
    await flushPromises();
  };
  return {
    socket,
    queryClient,
    delivery,
    store,
    cached,
    timeline,
    sends,
    syncs,
    connect,
    joinRoom,
  };
}

function ownMessage(seq: number, clientMessageId: string, content: string): MessageDto {
  return message(seq, { id: `own${seq}`, sender: me, clientMessageId, content });
}

describe('MessageDelivery: sending through the outbox', () => {
  it('shows a send as pending at once, keeps it until the ack, then shows the stored message once', async () => {
    const { delivery, store, timeline, sends, joinRoom } = await setup();
    await joinRoom();

    delivery.send(ROOM, 'hello');
    expect(timeline()).toEqual(['text 1:sent', 'hello:pending']);
    await flushPromises();
    const [send] = sends();
    const { clientMessageId } = send.payload as { clientMessageId: string };
    expect(send.payload).toEqual({ room: ROOM, content: 'hello', clientMessageId });
    expect(await store.list()).toMatchObject([{ clientMessageId, state: 'pending' }]);

    send.ack(null, { ok: true, data: ownMessage(2, clientMessageId, 'hello') });
    await flushPromises();
    expect(timeline()).toEqual(['text 1:sent', 'hello:sent']);
    expect(delivery.pending(ROOM)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('shows one message when another tab’s new_message arrives before the ack', async () => {
    const { delivery, timeline, sends, syncs, joinRoom } = await setup();
    await joinRoom();
    delivery.send(ROOM, 'hello');
    await flushPromises();
    const [send] = sends();
    const { clientMessageId } = send.payload as { clientMessageId: string };

    delivery.receive(ownMessage(2, clientMessageId, 'hello'));
    expect(timeline()).toEqual(['text 1:sent', 'hello:sent']);
    send.ack(null, { ok: true, data: ownMessage(2, clientMessageId, 'hello') });
    await flushPromises();
    expect(timeline()).toEqual(['text 1:sent', 'hello:sent']);
    expect(syncs()).toEqual([]);
  });

  it('marks a refused send failed; Retry resends the same clientMessageId, Discard drops it', async () => {
    const { delivery, store, timeline, sends, joinRoom } = await setup();
    await joinRoom();
    delivery.send(ROOM, 'hello');
    await flushPromises();
    sends()[0].ack(null, { ok: false, error: { code: 'forbidden', message: 'Not allowed' } });
    await flushPromises();
    expect(timeline()).toEqual(['text 1:sent', 'hello:failed']);
    expect(delivery.pending(ROOM)[0].error).toBe('Not allowed');

    const { clientMessageId } = sends()[0].payload as { clientMessageId: string };
    delivery.retry(clientMessageId);
    await flushPromises();
    expect(sends()).toHaveLength(2);
    expect(sends()[1].payload).toEqual(sends()[0].payload);
    sends()[1].ack(null, { ok: false, error: { code: 'forbidden', message: 'Not allowed' } });
    await flushPromises();

    delivery.discard(clientMessageId);
    await flushPromises();
    expect(timeline()).toEqual(['text 1:sent']);
    expect(await store.list()).toEqual([]);
  });

  it('keeps a send that got no answer pending and sends it again after a reconnection', async () => {
    const { socket, delivery, timeline, sends, joinRoom, connect } = await setup();
    await joinRoom();
    delivery.send(ROOM, 'hello');
    await flushPromises();
    sends()[0].ack(new Error('operation has timed out'), undefined);
    await flushPromises();
    expect(timeline()).toEqual(['text 1:sent', 'hello:pending']);
    expect(delivery.pending(ROOM)[0].error).toMatch(/did not answer/);

    socket.serverDisconnect();
    await connect();
    expect(sends()).toHaveLength(2);
    expect(sends()[1].payload).toEqual(sends()[0].payload);
  });

  it('shows what an earlier page left in the outbox and sends it once connected', async () => {
    const store = new MemoryOutboxStore();
    const before = await setup({ store });
    before.delivery.send(ROOM, 'written offline');
    await flushPromises();
    expect(before.sends()).toEqual([]);
    before.delivery.stop();

    // The reload: a new session on the same store.
    const after = await setup({ store });
    await flushPromises();
    expect(after.timeline()).toEqual(['text 1:sent', 'written offline:pending']);
    await after.connect();
    expect(after.sends().map((send) => send.payload)).toMatchObject([
      { room: ROOM, content: 'written offline' },
    ]);
  });
});

describe('MessageDelivery: receiving with sync', () => {
  it('sends one sync after a reconnection and pages until caught up, in seq order', async () => {
    const { socket, cached, syncs, joinRoom, connect } = await setup();
    await joinRoom();
    expect(syncs()).toEqual([]);

    socket.serverDisconnect();
    await connect();
    expect(syncs().map((sync) => sync.payload)).toEqual([{ rooms: { [ROOM]: 1 }, limit: 100 }]);
    syncs()[0].ack(null, {
      ok: true,
      data: {
        rooms: [{ room: ROOM, messages: [message(2), message(3)], lastSeq: 4, hasMore: true }],
        refused: [],
      },
    });
    await flushPromises();
    expect(syncs().map((sync) => sync.payload)).toEqual([
      { rooms: { [ROOM]: 1 }, limit: 100 },
      { rooms: { [ROOM]: 3 }, limit: 100 },
    ]);
    syncs()[1].ack(null, {
      ok: true,
      data: {
        rooms: [{ room: ROOM, messages: [message(4)], lastSeq: 4, hasMore: false }],
        refused: [],
      },
    });
    await flushPromises();
    expect(cached().map((item) => item.seq)).toEqual([1, 2, 3, 4]);
    expect(syncs()).toHaveLength(2);
  });

  it('fetches the gap before a live message that skips ahead, and delivers each message once', async () => {
    const { delivery, cached, syncs, joinRoom } = await setup();
    await joinRoom();

    delivery.receive(message(3));
    expect(cached().map((item) => item.seq)).toEqual([1]);
    expect(syncs().map((sync) => sync.payload)).toEqual([{ rooms: { [ROOM]: 1 }, limit: 100 }]);
    delivery.receive(message(3));
    syncs()[0].ack(null, {
      ok: true,
      data: {
        rooms: [{ room: ROOM, messages: [message(2), message(3)], lastSeq: 3, hasMore: false }],
        refused: [],
      },
    });
    await flushPromises();
    delivery.receive(message(2));
    expect(cached().map((item) => item.seq)).toEqual([1, 2, 3]);
  });

  it('drops a room that sync refuses', async () => {
    const { socket, delivery, syncs, joinRoom, connect } = await setup();
    await joinRoom();
    const refused = jest.fn();
    delivery.onRefused(refused);

    socket.serverDisconnect();
    await connect();
    syncs()[0].ack(null, {
      ok: true,
      data: { rooms: [], refused: [{ room: ROOM, code: 'banned' }] },
    });
    await flushPromises();
    expect(refused).toHaveBeenCalledWith(ROOM, 'banned');
    expect(delivery.sync.isFollowing(ROOM)).toBe(false);
  });

  it('falls back to refetching the history when sync fails', async () => {
    const { socket, queryClient, syncs, joinRoom, connect } = await setup();
    await joinRoom();
    socket.serverDisconnect();
    await connect();
    expect(queryClient.getQueryState(messagesQueryKey(ROOM))?.isInvalidated).toBe(false);

    syncs()[0].ack(null, { ok: false, error: { code: 'internal_error', message: 'no sync' } });
    await flushPromises();
    expect(queryClient.getQueryState(messagesQueryKey(ROOM))?.isInvalidated).toBe(true);
  });

  it('catches up a room joined while its history was loading once the history is in', async () => {
    const { socket, delivery, queryClient, connect } = await setup();
    const other = 'klmnopqrst';
    let answer: (page: { items: MessageDto[]; nextBefore: null }) => void = () => undefined;
    const history = queryClient.fetchInfiniteQuery({
      queryKey: messagesQueryKey(other),
      queryFn: () =>
        new Promise<{ items: MessageDto[]; nextBefore: null }>((resolve) => (answer = resolve)),
      initialPageParam: undefined as number | undefined,
    });
    await connect();
    delivery.joined(other);
    expect(socket.emittedOf('sync')).toEqual([]);

    answer({ items: [message(4, { room: other })], nextBefore: null });
    await history;
    // No second history fetch: one sync from the newest seq the history read.
    expect(queryClient.getQueryState(messagesQueryKey(other))?.isInvalidated).toBe(false);
    expect(socket.emittedOf('sync').map((sync) => sync.payload)).toEqual([
      { rooms: { [other]: 4 }, limit: 100 },
    ]);
  });

  it('follows a room only once its history is fetched; live messages before that only merge', async () => {
    const { delivery, queryClient } = await setup();
    const other = 'klmnopqrst';
    delivery.receive(message(5, { room: other }));
    expect(delivery.sync.isFollowing(other)).toBe(false);
    expect(queryClient.getQueryData(messagesQueryKey(other))).toBeUndefined();

    await queryClient.fetchInfiniteQuery({
      queryKey: messagesQueryKey(other),
      queryFn: () => Promise.resolve({ items: [message(7, { room: other })], nextBefore: null }),
      initialPageParam: undefined as number | undefined,
    });
    expect(delivery.sync.lastSeq(other)).toBe(7);
  });

  it('announces every message it learns of — live, acknowledged and caught up — at once', async () => {
    const { socket, delivery, sends, syncs, joinRoom, connect } = await setup();
    await joinRoom();
    const announced: number[] = [];
    delivery.onMessage((item) => announced.push(item.seq));
    /** The seqs announced since the last call, once each (announcing twice is allowed). */
    const taken = () => [...new Set(announced.splice(0))];

    // A live message ahead of a gap is announced before the gap is filled.
    delivery.receive(message(3));
    expect(taken()).toEqual([3]);
    syncs()[0].ack(null, {
      ok: true,
      data: {
        rooms: [{ room: ROOM, messages: [message(2), message(3)], lastSeq: 3, hasMore: false }],
        refused: [],
      },
    });
    await flushPromises();
    expect(taken()).toEqual([2, 3]);

    delivery.send(ROOM, 'hello');
    await flushPromises();
    const { clientMessageId } = sends()[0].payload as { clientMessageId: string };
    sends()[0].ack(null, { ok: true, data: ownMessage(4, clientMessageId, 'hello') });
    await flushPromises();
    expect(taken()).toEqual([4]);

    socket.serverDisconnect();
    await connect();
    syncs()[1].ack(null, {
      ok: true,
      data: {
        rooms: [{ room: ROOM, messages: [message(5)], lastSeq: 5, hasMore: false }],
        refused: [],
      },
    });
    await flushPromises();
    expect(taken()).toEqual([5]);
  });
});

describe('MessageDelivery: changes (edits, deletions, reactions, pins)', () => {
  const history = [message(1), message(2), message(3)];
  const edited = message(1, {
    content: 'edited',
    editedAt: '2026-01-01T11:00:00.000Z',
    version: 2,
    changeSeq: 5,
  });
  const reacted = message(2, {
    reactions: [{ emoji: '👍', count: 1, userIds: ['ann'] }],
    version: 2,
    changeSeq: 6,
  });
  const deleted = message(3, {
    content: '',
    deletedAt: '2026-01-01T11:01:00.000Z',
    version: 2,
    changeSeq: 7,
  });

  it('stale cache + synced changes = fresh fetch: a reconnection syncs changes from the page cursor', async () => {
    const { socket, cached, syncs, joinRoom, connect } = await setup({ history, changeSeq: 4 });
    await joinRoom();

    // Away while others edit, react and delete; back, one sync asks for changes after 4.
    socket.serverDisconnect();
    await connect();
    expect(syncs().map((sync) => sync.payload)).toEqual([
      { rooms: { [ROOM]: 3 }, changes: { [ROOM]: 4 }, limit: 100 },
    ]);
    const page = (changed: MessageDto[], changeSeq: number, hasMoreChanges: boolean) => ({
      ok: true,
      data: {
        rooms: [
          {
            room: ROOM,
            messages: [],
            lastSeq: 3,
            hasMore: false,
            changed,
            changeSeq,
            hasMoreChanges,
          },
        ],
        refused: [],
      },
    });
    syncs()[0].ack(null, page([edited, reacted], 6, true));
    await flushPromises();
    expect(syncs()[1].payload).toEqual({
      rooms: { [ROOM]: 3 },
      changes: { [ROOM]: 6 },
      limit: 100,
    });
    syncs()[1].ack(null, page([deleted], 7, false));
    await flushPromises();

    // What a fresh `GET …/messages` of the room answers now.
    expect(cached()).toEqual([edited, reacted, deleted]);
  });

  it('applies live changes by version: an older or repeated copy changes nothing', async () => {
    const { delivery, queryClient, cached, joinRoom } = await setup({ history, changeSeq: 4 });
    await joinRoom();
    const pinned = message(2, { pinnedAt: '2026-01-01T11:02:00.000Z', version: 3, changeSeq: 9 });
    queryClient.setQueryData(pinsQueryKey(ROOM), []);
    const twice = message(1, { content: 'second edit', version: 3, changeSeq: 8 });

    delivery.changed(twice);
    delivery.changed(edited);
    delivery.changed(pinned);
    delivery.changed(reacted);
    expect(cached()).toEqual([twice, pinned, message(3)]);
    expect(queryClient.getQueryData(pinsQueryKey(ROOM))).toEqual([pinned]);

    delivery.changed(deleted);
    expect(cached()[2]).toEqual(deleted);
  });
});
