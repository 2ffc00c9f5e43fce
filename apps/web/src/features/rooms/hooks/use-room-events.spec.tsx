import type { ReactNode } from 'react';
import { renderHook } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { RoomViewDto } from '@parley/contracts';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket } from '@/test/fake-socket';
import { roomQueryKey } from '../api/get-room';
import { roomsQueryKey } from '../api/get-rooms';
import { membersQueryKey } from '../api/members';
import { useRoomEvents } from './use-room-events';

const room = (id: string, role: RoomViewDto['role']): RoomViewDto => ({
  id,
  name: `Room ${id}`,
  kind: 'private',
  topic: null,
  role,
  createdBy: 'u1',
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readSeq: 0,
  notify: 'mentions',
  peer: null,
});

function setup() {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  queryClient.setQueryData(roomsQueryKey, [room('aaaaaaaaaa', 'member'), room('bbbbbbbbbb', null)]);
  queryClient.setQueryData(roomQueryKey('aaaaaaaaaa'), room('aaaaaaaaaa', 'member'));
  const onRemoved = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>{children}</ConnectionProvider>
    </QueryClientProvider>
  );
  const rendered = renderHook(() => useRoomEvents('me', onRemoved), { wrapper });
  return { socket, queryClient, onRemoved, rendered };
}

describe('useRoomEvents', () => {
  it('drops a room I was removed from and reports why', () => {
    const { socket, queryClient, onRemoved } = setup();
    socket.fire('room_removed', { room: 'aaaaaaaaaa', reason: 'kicked' });
    expect(
      queryClient.getQueryData<RoomViewDto[]>(roomsQueryKey)?.map((listed) => listed.id),
    ).toEqual(['bbbbbbbbbb']);
    expect(onRemoved).toHaveBeenCalledWith('aaaaaaaaaa', 'kicked');
    // The server already took my sockets out of the room: nothing to tell it.
    expect(socket.emittedOf('leave_room')).toEqual([]);
  });

  it('applies my read cursor and notification level from any tab, and members’ receipts', () => {
    const { socket, queryClient } = setup();
    queryClient.setQueryData(membersQueryKey('aaaaaaaaaa'), [
      {
        user: { id: 'ann', username: 'ann', displayName: 'Ann' },
        role: 'member',
        joinedAt: '2026-01-01T00:00:00.000Z',
        presence: { status: 'online', lastSeenAt: null },
        readSeq: 1,
      },
    ]);
    socket.fire('read_state', { room: 'aaaaaaaaaa', readSeq: 4 });
    socket.fire('notifications_updated', { room: 'aaaaaaaaaa', level: 'muted' });
    socket.fire('read_receipt', { room: 'aaaaaaaaaa', userId: 'ann', readSeq: 3 });
    expect(queryClient.getQueryData(roomQueryKey('aaaaaaaaaa'))).toMatchObject({
      readSeq: 4,
      notify: 'muted',
    });
    expect(queryClient.getQueryData<RoomViewDto[]>(roomsQueryKey)?.[0]).toMatchObject({
      readSeq: 4,
      notify: 'muted',
    });
    expect(queryClient.getQueryData(membersQueryKey('aaaaaaaaaa'))).toMatchObject([{ readSeq: 3 }]);
  });

  it('applies renames and my own role changes, and stops listening on unmount', () => {
    const { socket, queryClient, rendered } = setup();
    socket.fire('room_updated', {
      room: { ...room('aaaaaaaaaa', null), name: 'Renamed', topic: 'Hello' },
    });
    socket.fire('member_updated', {
      room: 'aaaaaaaaaa',
      userId: 'me',
      member: {
        user: { id: 'me', username: 'me', displayName: 'Me' },
        role: 'moderator',
        joinedAt: '2026-01-01T00:00:00.000Z',
      },
    });
    expect(queryClient.getQueryData(roomQueryKey('aaaaaaaaaa'))).toMatchObject({
      name: 'Renamed',
      topic: 'Hello',
      role: 'moderator',
    });
    rendered.unmount();
    for (const event of ['room_removed', 'read_state', 'read_receipt', 'notifications_updated']) {
      expect(socket.listenerCount(event)).toBe(0);
    }
  });
});
