import type { MessageDto, SendMessageDto } from '@parley/contracts';
import { MemoryOutboxStore, Outbox, type ExclusiveRunner } from './outbox';

const ROOM = 'aaaaaaaaaa';
const OTHER = 'bbbbbbbbbb';

function stored(payload: SendMessageDto, seq: number): MessageDto {
  return {
    id: `id-${payload.clientMessageId}`,
    room: payload.room,
    seq,
    sender: { id: 'u1', username: 'ann', displayName: 'Ann' },
    content: payload.content,
    clientMessageId: payload.clientMessageId,
    mentions: [],
    mentionsRoom: false,
    createdAt: new Date(0).toISOString(),
    version: 1,
    changeSeq: 0,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    replyTo: null,
    pinnedAt: null,
    attachments: [],
  };
}

function cid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A server that stores each clientMessageId once, like the real one. */
function fakeServer() {
  const byId = new Map<string, MessageDto>();
  const attempts: SendMessageDto[] = [];
  let seq = 0;
  const send = jest.fn((payload: SendMessageDto): Promise<MessageDto> => {
    attempts.push(payload);
    const existing = byId.get(payload.clientMessageId);
    if (existing) return Promise.resolve(existing);
    const message = stored(payload, (seq += 1));
    byId.set(payload.clientMessageId, message);
    return Promise.resolve(message);
  });
  return { send, attempts, byId };
}

function unavailable() {
  return Promise.reject(Object.assign(new Error('restarting'), { code: 'unavailable' }));
}

describe('Outbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stores before sending and removes only after the ack', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const acked: MessageDto[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const outbox = new Outbox({
      store,
      send: async (payload) => {
        await held;
        return server.send(payload);
      },
      canSend: () => true,
      onAcked: (message) => acked.push(message),
    });
    await outbox.add({ room: ROOM, content: 'hi', clientMessageId: cid(1) });
    expect(await store.list()).toHaveLength(1);
    release();
    await outbox.flush();
    expect(await store.list()).toEqual([]);
    expect(acked.map((m) => m.content)).toEqual(['hi']);
  });

  it("sends a room's entries one at a time, oldest first", async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const outbox = new Outbox({ store, send: server.send, canSend: () => false });
    await outbox.add({ room: ROOM, content: 'second', clientMessageId: cid(2) }, 2);
    await outbox.add({ room: ROOM, content: 'first', clientMessageId: cid(1) }, 1);
    await outbox.add({ room: OTHER, content: 'elsewhere', clientMessageId: cid(3) }, 3);
    let sendable = false;
    const online = new Outbox({ store, send: server.send, canSend: () => sendable });
    sendable = true;
    await online.flush();
    expect(server.attempts.filter((a) => a.room === ROOM).map((a) => a.content)).toEqual([
      'first',
      'second',
    ]);
    expect(await store.list()).toEqual([]);
  });

  it('retries with backoff and the same clientMessageId until acked, and nothing overtakes', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const send = jest
      .fn<Promise<MessageDto>, [SendMessageDto]>()
      .mockImplementationOnce(unavailable)
      .mockImplementationOnce(unavailable)
      .mockImplementation(server.send);
    const outbox = new Outbox({ store, send, canSend: () => true, random: () => 0.5 });
    await outbox.add({ room: ROOM, content: 'a', clientMessageId: cid(1) }, 1);
    await outbox.add({ room: ROOM, content: 'b', clientMessageId: cid(2) }, 2);
    await outbox.flush();
    // One attempt per round: a flush asked for during the round does not skip the backoff.
    expect(send.mock.calls.map(([p]) => p.content)).toEqual(['a']);
    await jest.runOnlyPendingTimersAsync();
    expect(send.mock.calls.map(([p]) => p.content)).toEqual(['a', 'a']);
    await jest.runOnlyPendingTimersAsync();
    expect(send.mock.calls.map(([p]) => p.clientMessageId)).toEqual([
      cid(1),
      cid(1),
      cid(1),
      cid(2),
    ]);
    expect(await store.list()).toEqual([]);
  });

  it('waits at least as long as rate_limited asks before the next attempt', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const send = jest
      .fn<Promise<MessageDto>, [SendMessageDto]>()
      .mockImplementationOnce(() =>
        Promise.reject(
          Object.assign(new Error('slow down'), {
            code: 'rate_limited',
            details: { retryAfterMs: 20_000 },
          }),
        ),
      )
      .mockImplementation(server.send);
    const outbox = new Outbox({ store, send, canSend: () => true, random: () => 0.5 });
    await outbox.add({ room: ROOM, content: 'a', clientMessageId: cid(1) });
    await outbox.flush();
    await jest.advanceTimersByTimeAsync(19_000);
    expect(send).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_000);
    await outbox.flush();
    expect(send).toHaveBeenCalledTimes(2);
    expect(await store.list()).toEqual([]);
  });

  it('marks permanent errors failed, keeps them for retry or discard, and carries on', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const send = jest
      .fn<Promise<MessageDto>, [SendMessageDto]>()
      .mockImplementationOnce(() =>
        Promise.reject(Object.assign(new Error('no'), { code: 'not_a_member', message: 'no' })),
      )
      .mockImplementation(server.send);
    const outbox = new Outbox({ store, send, canSend: () => true });
    await outbox.add({ room: ROOM, content: 'refused', clientMessageId: cid(1) }, 1);
    await outbox.flush();
    await outbox.add({ room: ROOM, content: 'next', clientMessageId: cid(2) }, 2);
    await outbox.flush();
    expect(await store.list()).toEqual([
      expect.objectContaining({
        clientMessageId: cid(1),
        state: 'failed',
        attempts: 1,
        lastError: expect.objectContaining({ code: 'not_a_member' }) as unknown,
      }),
    ]);
    await outbox.retry(cid(1));
    await outbox.flush();
    expect(await store.list()).toEqual([]);
    expect(server.byId.size).toBe(2);

    await outbox.add({ room: ROOM, content: 'drop me', clientMessageId: cid(3) }, 3);
    await outbox.discard(cid(3));
    expect(await store.list()).toEqual([]);
  });

  it('does not send while it cannot, and sends everything on reconnection', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    let connected = false;
    const outbox = new Outbox({ store, send: server.send, canSend: () => connected });
    await outbox.add({ room: ROOM, content: 'offline', clientMessageId: cid(1) });
    await outbox.flush();
    expect(server.send).not.toHaveBeenCalled();
    connected = true;
    await outbox.reconnected();
    expect(server.attempts.map((a) => a.content)).toEqual(['offline']);
  });

  it('leaves a room to the holder of its lock (another tab) and looks again later', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const held = new Set<string>([`parley-outbox:${ROOM}`]);
    const exclusive: ExclusiveRunner = async (key, task) => {
      if (held.has(key)) return false;
      held.add(key);
      try {
        await task();
      } finally {
        held.delete(key);
      }
      return true;
    };
    const outbox = new Outbox({ store, send: server.send, canSend: () => true, exclusive });
    await outbox.add({ room: ROOM, content: 'mine', clientMessageId: cid(1) });
    await outbox.flush();
    expect(server.send).not.toHaveBeenCalled();
    held.clear();
    await jest.runOnlyPendingTimersAsync();
    await outbox.flush();
    expect(server.attempts.map((a) => a.content)).toEqual(['mine']);
  });

  it('sends the uploaded files of an entry with it', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    let connected = false;
    const outbox = new Outbox({ store, send: server.send, canSend: () => connected });
    const files = ['0123456789abcdef01234567', '0123456789abcdef01234568'];
    await outbox.add({ room: ROOM, content: '', clientMessageId: cid(1), attachments: files });
    await outbox.add({ room: ROOM, content: 'no files', clientMessageId: cid(2) });
    expect((await store.list()).map((entry) => entry.attachments)).toEqual([files, undefined]);
    connected = true;
    await outbox.flush();
    expect(server.attempts).toEqual([
      { room: ROOM, content: '', clientMessageId: cid(1), attachments: files },
      { room: ROOM, content: 'no files', clientMessageId: cid(2) },
    ]);
  });

  it('keeps what a reply answers in the stored entry, so a resend after a reload still quotes it', async () => {
    const store = new MemoryOutboxStore();
    const server = fakeServer();
    const original = '0123456789abcdef01234569';
    const before = new Outbox({ store, send: server.send, canSend: () => false });
    await before.add({ room: ROOM, content: 'yes', clientMessageId: cid(1), replyTo: original });
    // A new page (the same store, a new Outbox) sends it.
    const after = new Outbox({ store, send: server.send, canSend: () => true });
    await after.flush();
    expect(server.attempts).toEqual([
      { room: ROOM, content: 'yes', clientMessageId: cid(1), replyTo: original },
    ]);
  });
});
