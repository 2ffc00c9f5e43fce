import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { roomQueryKey } from '../api/get-room';
import { useRoomJoin } from './use-room-join';

const ROOM = 'abcdefghij';
const view: RoomViewDto = {
  id: ROOM,
  name: 'Lobby',
  kind: 'public',
  topic: null,
  createdBy: 'u1',
  lastSeq: 3,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 1,
  notify: 'mentions',
  peer: null,
};

function setup() {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>{children}</ConnectionProvider>
    </QueryClientProvider>
  );
  connection.start();
  act(() => socket.serverConnect());
  const rendered = renderHook(() => useRoomJoin(ROOM, 'u1'), { wrapper });
  const joins = () => socket.emittedOf('join_room');
  const reconnect = async () => {
    act(() => {
      socket.serverDisconnect();
      socket.serverConnect();
    });
    await act(flushPromises);
  };
  return { socket, queryClient, rendered, joins, reconnect };
}

describe('useRoomJoin', () => {
  it('joins once and is not asked again after a reconnection', async () => {
    const { queryClient, rendered, joins, reconnect } = setup();
    await act(flushPromises);
    expect(joins()).toHaveLength(1);
    await act(async () => {
      joins()[0].ack(null, { ok: true, data: { room: view } });
      await flushPromises();
    });
    expect(rendered.result.current.state).toEqual({ status: 'joined', room: view });
    expect(queryClient.getQueryData(roomQueryKey(ROOM))).toEqual(view);

    await reconnect();
    expect(joins()).toHaveLength(1);
    expect(rendered.result.current.state.status).toBe('joined');
  });

  it('asks again on the next connection after a join that failed', async () => {
    const { rendered, joins, reconnect } = setup();
    await act(flushPromises);
    await act(async () => {
      joins()[0].ack(new Error('operation has timed out'), undefined);
      await flushPromises();
    });
    expect(rendered.result.current.state.status).toBe('error');

    await reconnect();
    await waitFor(() => expect(joins()).toHaveLength(2));
    await act(async () => {
      joins()[1].ack(null, { ok: true, data: { room: view } });
      await flushPromises();
    });
    expect(rendered.result.current.state.status).toBe('joined');
  });
});
