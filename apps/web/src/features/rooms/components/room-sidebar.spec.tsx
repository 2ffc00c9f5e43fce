import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import type {
  MessagePreviewDto,
  RoomKind,
  RoomRole,
  RoomViewDto,
  UserDto,
} from '@parley/contracts';
import { roomsQueryKey } from '../api/get-rooms';
import { USER_SEARCH_DEBOUNCE_MS } from './new-direct-message';
import { RoomSidebar } from './room-sidebar';

const ME = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const ANN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const BEN = 'cccccccccccccccccccccccc';

const room = (
  id: string,
  name: string,
  kind: RoomKind,
  role: RoomRole | null,
  overrides: Partial<RoomViewDto> = {},
): RoomViewDto => ({
  id,
  name,
  kind,
  topic: null,
  role,
  createdBy: ME,
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readSeq: 0,
  notify: kind === 'direct' ? 'all' : 'mentions',
  peer: null,
  ...overrides,
});

const preview = (seq: number, senderId: string, excerpt: string, minute: number) =>
  ({
    seq,
    sender: { id: senderId, username: `user${seq}`, displayName: 'Someone' },
    excerpt,
    createdAt: new Date(Date.UTC(2026, 0, 2, 10, minute)).toISOString(),
  }) satisfies MessagePreviewDto;

const direct = (
  id: string,
  peer: { id: string; username: string; displayName: string },
  status: 'online' | 'away' | 'offline',
  overrides: Partial<RoomViewDto> = {},
) =>
  room(id, `Me & ${peer.displayName}`, 'direct', 'member', {
    peer: { user: peer, presence: { status, lastSeenAt: null } },
    ...overrides,
  });

const user = (id: string, username: string, displayName: string): UserDto => ({
  id,
  username,
  displayName,
  registered: true,
  createdAt: '2026-01-01T00:00:00.000Z',
});

function urlOf(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(JSON.stringify(body)),
  } as Response;
}

function renderSidebar(rooms: RoomViewDto[]) {
  // The list is what the test set: no refetch on mount.
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity } },
  });
  client.setQueryData(roomsQueryKey, rooms);
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/rooms/aaaaaaaaaa']}>
        <Routes>
          <Route path="/rooms/:roomId" element={<RoomSidebar userId={ME} />} />
          <Route path="/rooms/dmdmdmdmdm" element={<p>Opened the conversation</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  const nav = screen.getByRole('navigation', { name: 'Rooms' });
  const section = (name: string) => within(nav).getByRole('region', { name });
  return { client, nav, section };
}

describe('RoomSidebar', () => {
  it('lists my rooms, direct messages, then public rooms I am not in, each once', () => {
    const { nav, section } = renderSidebar([
      room('bbbbbbbbbb', 'Random', 'public', null),
      room('aaaaaaaaaa', 'Lobby', 'public', 'member'),
      room('cccccccccc', 'Secret', 'private', 'owner'),
      direct('dddddddddd', { id: ANN, username: 'ann', displayName: 'Ann' }, 'online'),
    ]);
    const names = (region: HTMLElement) =>
      within(region)
        .getAllByRole('link')
        .map((link) => link.textContent);
    expect(names(section('My rooms'))).toEqual(['Lobby', 'Secret · private']);
    // A direct conversation is named after the other person.
    expect(names(section('Direct messages'))).toEqual(['AnnNo messages yet']);
    expect(names(section('Public rooms'))).toEqual(['Random']);
    expect(within(nav).getByRole('link', { name: 'Lobby' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(within(nav).getByRole('link', { name: 'Random' })).toHaveAttribute(
      'href',
      '/rooms/bbbbbbbbbb',
    );
    expect(screen.getByLabelText('New room name')).toBeInTheDocument();
    expect(screen.getByLabelText('Room kind')).toHaveValue('public');
    expect(screen.getByLabelText('Room id or link')).toBeInTheDocument();
  });

  it('shows the unread count of my rooms, in bold, and none for rooms I am not in', () => {
    const { nav } = renderSidebar([
      room('aaaaaaaaaa', 'Lobby', 'public', 'member', { lastSeq: 7, readSeq: 7 }),
      room('bbbbbbbbbb', 'Busy', 'public', 'member', { lastSeq: 9, readSeq: 6 }),
      room('cccccccccc', 'Loud', 'private', 'member', { lastSeq: 150, readSeq: 0 }),
      room('dddddddddd', 'Elsewhere', 'public', null, { lastSeq: 40 }),
    ]);
    const busy = within(nav).getByRole('link', { name: 'Busy 3 unread' });
    expect(busy).toHaveClass('room-links__link--unread');
    expect(within(nav).getByRole('link', { name: 'Loud · private 99+ unread' })).toBeVisible();
    expect(within(nav).getByRole('link', { name: 'Lobby' })).not.toHaveClass(
      'room-links__link--unread',
    );
    expect(within(nav).getByRole('link', { name: 'Elsewhere' })).toBeVisible();
  });

  it('lists each person I talk to with presence, the last message and unread count, newest first', () => {
    const { section } = renderSidebar([
      direct('dddddddddd', { id: ANN, username: 'ann', displayName: 'Ann' }, 'online', {
        lastSeq: 4,
        readSeq: 4,
        lastMessage: preview(4, ME, 'See you tomorrow', 1),
      }),
      direct('eeeeeeeeee', { id: BEN, username: 'ben', displayName: 'Ben' }, 'away', {
        lastSeq: 6,
        readSeq: 4,
        lastMessage: preview(6, BEN, 'Are you there?', 5),
      }),
    ]);
    const [ben, ann] = within(section('Direct messages')).getAllByRole('link');
    expect(ben).toHaveAccessibleName('Ben is away Ben Are you there? 2 unread');
    expect(ben).toHaveAttribute('href', '/rooms/eeeeeeeeee');
    expect(ann).toHaveAccessibleName('Ann is online Ann You: See you tomorrow');
    expect(within(ann).getByRole('img', { name: 'Ann is online' })).toHaveAttribute(
      'data-status',
      'online',
    );
  });

  describe('New direct message', () => {
    const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

    beforeEach(() => {
      jest.useFakeTimers();
      fetchMock.mockReset();
      global.fetch = fetchMock as typeof fetch;
    });

    afterEach(() => {
      jest.useRealTimers();
    });

    it('searches once typing pauses, leaves me out, and opens the conversation picked', async () => {
      fetchMock.mockImplementation((input) =>
        Promise.resolve(
          urlOf(input).startsWith('/api/users')
            ? jsonResponse(200, [user(ANN, 'ann', 'Ann'), user(ME, 'anna', 'Me myself')])
            : jsonResponse(200, direct('dmdmdmdmdm', user(ANN, 'ann', 'Ann'), 'online')),
        ),
      );
      renderSidebar([]);
      const typist = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
      await typist.type(screen.getByLabelText('New direct message'), 'an');
      expect(fetchMock).not.toHaveBeenCalled();

      await act(() => jest.advanceTimersByTimeAsync(USER_SEARCH_DEBOUNCE_MS));
      expect(fetchMock.mock.calls.map(([input]) => input)).toEqual(['/api/users?query=an']);
      const found = await screen.findByRole('list', { name: 'People found' });
      const people = within(found).getAllByRole('button');
      expect(people.map((person) => person.textContent)).toEqual(['Ann @ann']);

      await typist.click(people[0]);
      expect(await screen.findByText('Opened the conversation')).toBeInTheDocument();
      const [input, init] = fetchMock.mock.calls[1];
      expect(input).toBe('/api/dms');
      expect(init?.method).toBe('POST');
      expect(JSON.parse(init?.body as string)).toEqual({ username: 'ann' });
    });

    it('says when no one matches', async () => {
      fetchMock.mockResolvedValue(jsonResponse(200, []));
      renderSidebar([]);
      const typist = userEvent.setup({ advanceTimers: (ms) => jest.advanceTimersByTime(ms) });
      await typist.type(screen.getByLabelText('New direct message'), 'zed');
      await act(() => jest.advanceTimersByTimeAsync(USER_SEARCH_DEBOUNCE_MS));
      expect(await screen.findByText('No one found.')).toBeInTheDocument();
      expect(fetchMock).toHaveBeenCalledTimes(1);
    });
  });
});
