import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { RoomKind, RoomMemberDto, RoomViewDto } from '@parley/contracts';
import { PresenceStore, PresenceStoreProvider } from '@/features/presence';
import { sessionStore } from '@/lib/session-store';
import { roomQueryKey } from '../api/get-room';
import { RoomHeader } from './room-header';

const ROOM_ID = 'abc123defg';
const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const CAT = '665f1c2b1e8a474d7e9a650c';

const view = (kind: RoomKind, patch: Partial<RoomViewDto> = {}): RoomViewDto => ({
  id: ROOM_ID,
  name: kind === 'direct' ? 'Ben' : 'Book club',
  kind,
  topic: null,
  role: 'member',
  createdBy: ANN,
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readSeq: 0,
  notify: kind === 'direct' ? 'all' : 'mentions',
  peer:
    kind === 'direct'
      ? {
          user: { id: BEN, username: 'ben', displayName: 'Ben' },
          presence: { status: 'online', lastSeenAt: null },
        }
      : null,
  ...patch,
});

const member = (id: string, name: string, status: 'online' | 'away' | 'offline') =>
  ({
    user: { id, username: name.toLowerCase(), displayName: name },
    role: 'member',
    joinedAt: '2026-01-01T00:00:00.000Z',
    presence: { status, lastSeenAt: status === 'offline' ? '2026-03-01T10:00:00.000Z' : null },
    readSeq: null,
  }) satisfies RoomMemberDto;

function jsonResponse(status: number, body?: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(body === undefined ? '' : JSON.stringify(body)),
  } as Response;
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
let routes: Record<string, (body: unknown) => Response> = {};

beforeEach(() => {
  routes = {};
  fetchMock.mockReset();
  fetchMock.mockImplementation((url, init) => {
    const key = `${init?.method ?? 'GET'} ${urlOf(url)}`;
    const route = routes[key];
    if (!route) return Promise.reject(new Error(`unexpected ${key}`));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    return Promise.resolve(route(body));
  });
  global.fetch = fetchMock as typeof fetch;
  sessionStore.set({
    accessToken: 'token-1',
    accessTokenExpiresAt: '2099-01-01T00:00:00.000Z',
    user: {
      id: ANN,
      username: 'ann',
      displayName: 'Ann',
      registered: true,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
});

afterEach(() => sessionStore.clear());

function renderHeader(room: RoomViewDto) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  queryClient.setQueryData(roomQueryKey(room.id), room);
  const store = new PresenceStore();
  const rendered = render(
    <QueryClientProvider client={queryClient}>
      <PresenceStoreProvider store={store}>
        <RoomHeader room={room} />
      </PresenceStoreProvider>
    </QueryClientProvider>,
  );
  return { queryClient, store, rendered, user: userEvent.setup() };
}

describe('RoomHeader: presence', () => {
  it('shows the other person’s state in a direct conversation, live', () => {
    const { store } = renderHeader(view('direct'));
    expect(screen.getByText('Active now')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Ben is online' })).toBeInTheDocument();

    act(() => store.receive({ userId: BEN, status: 'away', lastSeenAt: null }));
    expect(screen.getByText('Away')).toBeInTheDocument();

    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000 - 1_000).toISOString();
    act(() => store.receive({ userId: BEN, status: 'offline', lastSeenAt: fiveMinutesAgo }));
    expect(screen.getByText('Last seen 5 minutes ago')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Ben is offline' })).toBeInTheDocument();
  });

  it('counts the room’s members who are online, live', async () => {
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () =>
      jsonResponse(200, [
        member(ANN, 'Ann', 'online'),
        member(BEN, 'Ben', 'away'),
        member(CAT, 'Cat', 'online'),
      ]);
    const { store } = renderHeader(view('public'));
    expect(await screen.findByText('2 online')).toBeInTheDocument();
    act(() => store.receive({ userId: BEN, status: 'online', lastSeenAt: null }));
    expect(screen.getByText('3 online')).toBeInTheDocument();
  });

  it('shows no count to someone who is not a member', () => {
    renderHeader(view('public', { role: null }));
    expect(screen.queryByText(/online/)).not.toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe('RoomHeader: notification level', () => {
  function select() {
    return screen.getByRole('combobox', { name: 'Notifications' });
  }

  it('shows my level and saves a new one with PUT, in the cache at once', async () => {
    const sent: unknown[] = [];
    routes[`PUT /api/rooms/${ROOM_ID}/notifications`] = (body) => {
      sent.push(body);
      return jsonResponse(200, { room: ROOM_ID, level: 'muted' });
    };
    const { user, queryClient } = renderHeader(view('direct'));
    expect(select()).toHaveDisplayValue('All messages');
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      'All messages',
      'Mentions only',
      'Muted',
    ]);

    await user.selectOptions(select(), 'Muted');
    expect(queryClient.getQueryData<RoomViewDto>(roomQueryKey(ROOM_ID))?.notify).toBe('muted');
    await waitFor(() => expect(sent).toEqual([{ level: 'muted' }]));
  });

  it('puts the level back and says why when the server refuses', async () => {
    routes[`PUT /api/rooms/${ROOM_ID}/notifications`] = () =>
      jsonResponse(403, { error: { code: 'not_a_member', message: 'Not a member' } });
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, []);
    const { user, queryClient } = renderHeader(view('public'));

    await user.selectOptions(select(), 'All messages');
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not change notifications');
    expect(queryClient.getQueryData<RoomViewDto>(roomQueryKey(ROOM_ID))?.notify).toBe('mentions');
  });

  it('is not offered to someone who is not a member', () => {
    renderHeader(view('public', { role: null }));
    expect(screen.queryByRole('combobox', { name: 'Notifications' })).not.toBeInTheDocument();
  });
});
