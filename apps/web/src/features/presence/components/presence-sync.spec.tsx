import type { ReactNode } from 'react';
import { act, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { RoomMemberDto } from '@parley/contracts';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket } from '@/test/fake-socket';
import { PresenceStoreProvider } from '../hooks/presence-context';
import { useOnlineCount } from '../hooks/use-presence';
import { PresenceStore } from '../lib/presence-store';
import { PresenceDot } from './presence-dot';
import { PresenceSync } from './presence-sync';

const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const IDLE_MS = 60_000;

const member = (id: string, name: string, status: 'online' | 'offline'): RoomMemberDto => ({
  user: { id, username: name.toLowerCase(), displayName: name },
  role: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  presence: { status, lastSeenAt: status === 'online' ? null : '2026-03-01T10:00:00.000Z' },
  readSeq: null,
});

function OnlineCount({ people }: { people: RoomMemberDto[] }) {
  return <p>{useOnlineCount(people)} online</p>;
}

function setup(children: ReactNode = null) {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const store = new PresenceStore();
  const activity = new EventTarget();
  const tree = (content: ReactNode) => (
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>
        <PresenceStoreProvider store={store}>
          <PresenceSync idleMs={IDLE_MS} activityTarget={activity} />
          {content}
        </PresenceStoreProvider>
      </ConnectionProvider>
    </QueryClientProvider>
  );
  const rendered = render(tree(children));
  const reports = () => socket.emittedOf('set_presence').map(({ payload }) => payload);
  const input = () => act(() => void activity.dispatchEvent(new Event('keydown')));
  return { socket, queryClient, store, rendered, reports, input, tree };
}

describe('PresenceSync and PresenceDot', () => {
  it('shows what a fetched members list says, then follows presence events', async () => {
    const { socket, queryClient } = setup(<PresenceDot userId={BEN} name="Ben" />);
    expect(screen.queryByRole('img')).not.toBeInTheDocument();

    await act(() =>
      queryClient.fetchQuery({
        queryKey: ['rooms', 'abcdefghij', 'members'],
        queryFn: () =>
          Promise.resolve([member(ANN, 'Ann', 'online'), member(BEN, 'Ben', 'online')]),
      }),
    );
    expect(screen.getByRole('img', { name: 'Ben is online' })).toBeInTheDocument();

    act(() => socket.fire('presence', { userId: BEN, status: 'away', lastSeenAt: null }));
    expect(screen.getByRole('img', { name: 'Ben is away' })).toHaveAttribute('data-status', 'away');
  });

  it('shows the presence the caller knows until the store hears of the user', () => {
    const { socket } = setup(
      <PresenceDot userId={BEN} name="Ben" presence={{ status: 'offline', lastSeenAt: null }} />,
    );
    expect(screen.getByRole('img', { name: 'Ben is offline' })).toBeInTheDocument();
    act(() => socket.fire('presence', { userId: BEN, status: 'online', lastSeenAt: null }));
    expect(screen.getByRole('img', { name: 'Ben is online' })).toBeInTheDocument();
  });

  it('does not let an edit of cached data bring back an older presence', () => {
    const { socket, queryClient, store } = setup();
    act(() => socket.fire('presence', { userId: BEN, status: 'online', lastSeenAt: null }));
    socket.serverDisconnect();
    queryClient.setQueryData(['rooms', 'abcdefghij', 'members'], [member(BEN, 'Ben', 'offline')]);
    expect(store.get(BEN)?.status).toBe('online');
  });

  it('counts who is online among a room’s members, live', async () => {
    const people = [member(ANN, 'Ann', 'online'), member(BEN, 'Ben', 'offline')];
    const { socket } = setup(<OnlineCount people={people} />);
    expect(screen.getByText('1 online')).toBeInTheDocument();
    act(() => socket.fire('presence', { userId: BEN, status: 'online', lastSeenAt: null }));
    expect(await screen.findByText('2 online')).toBeInTheDocument();
    act(() => socket.fire('presence', { userId: ANN, status: 'away', lastSeenAt: null }));
    expect(screen.getByText('1 online')).toBeInTheDocument();
  });

  it('refetches what carries presence after a reconnection, not before the first connection', async () => {
    const { socket, queryClient } = setup();
    const queryFn = jest.fn(() => Promise.resolve([member(BEN, 'Ben', 'online')]));
    const messages = jest.fn(() => Promise.resolve({ pages: [], pageParams: [] }));
    await act(() => queryClient.fetchQuery({ queryKey: ['members'], queryFn }));
    await act(() => queryClient.fetchQuery({ queryKey: ['messages'], queryFn: messages }));

    socket.serverConnect();
    expect(queryClient.getQueryState(['members'])?.isInvalidated).toBe(false);
    socket.serverDisconnect();
    socket.serverConnect();
    expect(queryClient.getQueryState(['members'])?.isInvalidated).toBe(true);
    expect(queryClient.getQueryState(['messages'])?.isInvalidated).toBe(false);
  });

  it('forgets everyone when the session ends', () => {
    const { socket, store, rendered } = setup();
    act(() => socket.fire('presence', { userId: BEN, status: 'online', lastSeenAt: null }));
    rendered.unmount();
    expect(store.get(BEN)).toBeUndefined();
    expect(socket.listenerCount('presence')).toBe(0);
  });
});

describe('PresenceSync: away', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reports away after the idle time and online at the next input', () => {
    const { socket, reports, input } = setup();
    socket.serverConnect();
    act(() => jest.advanceTimersByTime(IDLE_MS));
    expect(reports()).toEqual([{ status: 'away' }]);
    input();
    expect(reports()).toEqual([{ status: 'away' }, { status: 'online' }]);
  });

  it('reports away again after a reconnection, and nothing while disconnected', () => {
    const { socket, reports, input } = setup();
    socket.serverConnect();
    socket.serverDisconnect();
    act(() => jest.advanceTimersByTime(IDLE_MS));
    expect(reports()).toEqual([]);
    socket.serverConnect();
    expect(reports()).toEqual([{ status: 'away' }]);

    // Active again: a later reconnection has nothing to correct (a new connection is online).
    input();
    socket.serverDisconnect();
    socket.serverConnect();
    expect(reports()).toEqual([{ status: 'away' }, { status: 'online' }]);
  });
});
