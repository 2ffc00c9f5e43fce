import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { MessageDto, RoomDto } from '@parley/contracts';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { messagesQueryKey, type MessagesData } from '../api/get-messages';
import { LocalMessagesStore } from '../lib/local-messages-store';
import { flattenMessages } from '../lib/message-cache';
import { buildTimeline } from '../lib/timeline';
import { LocalMessagesProvider } from './local-messages-context';
import { useChatEvents } from './use-chat-events';
import { useSendMessage } from './use-send-message';

const ROOM = 'abcdefghij';
const room: RoomDto = {
  id: ROOM,
  name: 'Lobby',
  kind: 'public',
  topic: null,
  createdBy: 'me',
  lastSeq: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
};
const me = { id: 'me', username: 'me', displayName: 'Me' };

const existing: MessageDto = {
  id: 'm1',
  room: ROOM,
  seq: 1,
  sender: { id: 'ann', username: 'ann', displayName: 'Ann' },
  content: 'welcome',
  clientMessageId: '00000000-0000-4000-8000-000000000001',
  createdAt: '2026-01-01T10:00:00.000Z',
};

function stored(clientMessageId: string, content: string): MessageDto {
  return {
    id: 'm2',
    room: ROOM,
    seq: 2,
    sender: me,
    content,
    clientMessageId,
    createdAt: '2026-01-01T10:01:00.000Z',
  };
}

/** A connected socket with the room already joined, real query client and stores. */
async function setup() {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    {
      onUnauthorized: jest.fn(),
      onJoined: jest.fn(),
      onResynced: jest.fn(),
    },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  connection.start();
  socket.serverConnect();
  const join = connection.joinRoom(ROOM);
  await flushPromises();
  socket.emittedOf('join_room')[0].ack(null, { ok: true, data: { room } });
  await join;

  const queryClient = new QueryClient();
  queryClient.setQueryData<MessagesData>(messagesQueryKey(ROOM), {
    pages: [{ items: [existing], nextBefore: null }],
    pageParams: [undefined],
  });
  const store = new LocalMessagesStore();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>
        <LocalMessagesProvider store={store}>{children}</LocalMessagesProvider>
      </ConnectionProvider>
    </QueryClientProvider>
  );
  const { result } = renderHook(
    () => {
      useChatEvents();
      return useSendMessage(ROOM);
    },
    { wrapper },
  );

  const sends = () => socket.emittedOf('send_message');
  const timeline = () =>
    buildTimeline({
      messages: flattenMessages(queryClient.getQueryData<MessagesData>(messagesQueryKey(ROOM))),
      pending: store.room(ROOM).pending,
      notices: [],
      own: me,
      now: new Date('2026-01-01T12:00:00.000Z'),
    }).flatMap((entry) =>
      entry.type === 'message' ? [`${entry.message.content}:${entry.message.status}`] : [],
    );

  return { socket, store, result, sends, timeline };
}

describe('useSendMessage', () => {
  it('echoes a send as pending, then reconciles it with the ack', async () => {
    const { result, sends, timeline, store } = await setup();
    act(() => result.current.send('hello'));
    expect(timeline()).toEqual(['welcome:sent', 'hello:pending']);

    await act(flushPromises);
    const [send] = sends();
    const { clientMessageId } = send.payload as { clientMessageId: string };
    expect(send.payload).toEqual({ room: ROOM, content: 'hello', clientMessageId });
    expect(clientMessageId).toMatch(/^[0-9a-f-]{36}$/);

    await act(async () => {
      send.ack(null, { ok: true, data: stored(clientMessageId, 'hello') });
      await flushPromises();
    });
    expect(timeline()).toEqual(['welcome:sent', 'hello:sent']);
    expect(store.room(ROOM).pending).toEqual([]);
  });

  it('marks a refused send as failed and retries it with the same clientMessageId', async () => {
    const { result, sends, timeline } = await setup();
    act(() => result.current.send('hello'));
    await act(flushPromises);
    const first = sends()[0];
    await act(async () => {
      first.ack(null, { ok: false, error: { code: 'rate_limited', message: 'slow down' } });
      await flushPromises();
    });
    expect(timeline()).toEqual(['welcome:sent', 'hello:failed']);

    const { clientMessageId } = first.payload as { clientMessageId: string };
    act(() => result.current.retry(clientMessageId));
    expect(timeline()).toEqual(['welcome:sent', 'hello:pending']);
    await act(flushPromises);
    const second = sends()[1];
    expect(second.payload).toEqual(first.payload);

    await act(async () => {
      second.ack(null, { ok: true, data: stored(clientMessageId, 'hello') });
      await flushPromises();
    });
    expect(timeline()).toEqual(['welcome:sent', 'hello:sent']);
  });

  it('shows one message when new_message (another tab) arrives before the ack', async () => {
    const { result, sends, timeline, socket } = await setup();
    act(() => result.current.send('hello'));
    await act(flushPromises);
    const [send] = sends();
    const { clientMessageId } = send.payload as { clientMessageId: string };

    act(() => socket.fire('new_message', stored(clientMessageId, 'hello')));
    expect(timeline()).toEqual(['welcome:sent', 'hello:sent']);

    await act(async () => {
      send.ack(null, { ok: true, data: stored(clientMessageId, 'hello') });
      await flushPromises();
    });
    expect(timeline()).toEqual(['welcome:sent', 'hello:sent']);
  });

  it('offers Retry when no answer comes before the deadline', async () => {
    jest.useFakeTimers();
    try {
      const { result, timeline } = await setupWithFakeTimers();
      act(() => result.current.send('hello'));
      act(() => jest.advanceTimersByTime(15_000));
      expect(timeline()).toEqual(['welcome:sent', 'hello:failed']);
    } finally {
      jest.useRealTimers();
    }
  });
});

/** `setup` awaits real macrotasks; under fake timers they have to be advanced by hand. */
async function setupWithFakeTimers() {
  const pending = setup();
  for (let i = 0; i < 5; i += 1) await jest.advanceTimersByTimeAsync(1);
  return pending;
}
