import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useParams } from 'react-router';
import type { MessageDto, NotifyLevel, RoomKind, RoomViewDto } from '@parley/contracts';
import { roomQueryKey, roomsQueryKey } from '@/features/rooms';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket } from '@/test/fake-socket';
import { NotificationsProvider } from '../hooks/notifications-context';
import type {
  NotificationApi,
  NotificationContent,
  NotificationPermissionState,
} from '../lib/notification-api';
import { NotificationOffer } from '../lib/notification-offer';
import { DesktopNotifications } from './desktop-notifications';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ME = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';
const DM = 'dmdmdmdmdm';
const CLUB = 'clubclubcl';

const view = (id: string, kind: RoomKind, name: string, notify: NotifyLevel): RoomViewDto => ({
  id,
  name,
  kind,
  topic: null,
  role: 'member',
  createdBy: ME,
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  readSeq: 0,
  notify,
  peer: null,
});

let seq = 0;
const message = (room: string, patch: Partial<MessageDto> = {}): MessageDto => {
  seq += 1;
  return {
    id: `6650aaaa1e8a474d7e9a${String(6500 + seq)}`,
    room,
    seq,
    sender: { id: BEN, username: 'ben', displayName: 'Ben' },
    content: `message ${seq}`,
    mentions: [],
    mentionsRoom: false,
    clientMessageId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    createdAt: '2026-03-01T10:00:00.000Z',
    ...UNCHANGED_MESSAGE_FIELDS,
    ...patch,
  };
};

function RoomPage() {
  return <p>Room page {useParams().roomId}</p>;
}

function setup({
  permission = 'granted',
  hidden = true,
}: { permission?: NotificationPermissionState; hidden?: boolean } = {}) {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const queryClient = new QueryClient();
  queryClient.setQueryData(roomsQueryKey, [
    view(DM, 'direct', 'Ben', 'all'),
    view(CLUB, 'public', 'Book club', 'mentions'),
  ]);
  const shown: { content: NotificationContent; click: () => void }[] = [];
  const state = { permission, hidden };
  const api: NotificationApi & { requestPermission: jest.Mock } = {
    permission: () => state.permission,
    requestPermission: jest.fn(() => {
      state.permission = 'granted';
      return Promise.resolve<NotificationPermissionState>('granted');
    }),
    show: (content, click) => shown.push({ content, click }),
    isPageHidden: () => state.hidden,
  };
  const offer = new NotificationOffer(api);
  render(
    <QueryClientProvider client={queryClient}>
      <ConnectionProvider connection={connection}>
        <NotificationsProvider api={api} offer={offer}>
          <MemoryRouter initialEntries={['/']}>
            <DesktopNotifications userId={ME} />
            <Routes>
              <Route path="/" element={<p>Home page</p>} />
              <Route path="/rooms/:roomId" element={<RoomPage />} />
            </Routes>
          </MemoryRouter>
        </NotificationsProvider>
      </ConnectionProvider>
    </QueryClientProvider>,
  );
  const receive = (incoming: MessageDto) => act(() => socket.fire('new_message', incoming));
  return { socket, queryClient, api, offer, shown, state, receive, user: userEvent.setup() };
}

afterEach(() => window.localStorage.clear());

describe('DesktopNotifications', () => {
  it('notifies of every message of a room at "all" while the page is hidden, tagged by id', () => {
    const { shown, receive } = setup();
    const incoming = message(DM, { content: 'are you there?' });
    receive(incoming);
    expect(shown.map(({ content }) => content)).toEqual([
      { title: 'Ben', body: 'are you there?', tag: incoming.id },
    ]);
  });

  it('notifies only of mentions of me or @room at "mentions", and of nothing when muted', () => {
    const { shown, receive, queryClient } = setup();
    receive(message(CLUB));
    receive(message(CLUB, { mentions: [{ userId: '665f1c2b1e8a474d7e9a650c', username: 'cat' }] }));
    expect(shown).toEqual([]);
    receive(message(CLUB, { content: 'hey @me', mentions: [{ userId: ME, username: 'me' }] }));
    receive(message(CLUB, { content: '@room lunch', mentionsRoom: true }));
    expect(shown.map(({ content }) => [content.title, content.body])).toEqual([
      ['Ben in Book club', 'hey @me'],
      ['Ben in Book club', '@room lunch'],
    ]);

    // Muted meanwhile (here or in another tab): the level is read when a message arrives.
    queryClient.setQueryData<RoomViewDto[]>(roomsQueryKey, (rooms) =>
      rooms?.map((room) => (room.id === CLUB ? { ...room, notify: 'muted' } : room)),
    );
    receive(message(CLUB, { mentionsRoom: true }));
    expect(shown).toHaveLength(2);
  });

  it('prefers the room’s own cache entry and falls back to the default level of unknown rooms', () => {
    const { shown, receive, queryClient } = setup();
    queryClient.setQueryData(roomQueryKey(DM), view(DM, 'direct', 'Ben', 'muted'));
    receive(message(DM));
    receive(message('unknownroo'));
    expect(shown).toEqual([]);
    receive(message('unknownroo', { mentionsRoom: true }));
    expect(shown).toHaveLength(1);
  });

  it('stays quiet while the page is visible, without permission, and for my own messages', () => {
    const { shown, receive, state } = setup({ hidden: false });
    receive(message(DM));
    state.hidden = true;
    state.permission = 'denied';
    receive(message(DM));
    state.permission = 'granted';
    receive(message(DM, { sender: { id: ME, username: 'me', displayName: 'Me' } }));
    expect(shown).toEqual([]);
  });

  it('focuses the window and opens the room when the notification is clicked', () => {
    const { shown, receive } = setup();
    const focus = jest.spyOn(window, 'focus').mockImplementation(() => undefined);
    receive(message(DM));
    expect(screen.getByText('Home page')).toBeInTheDocument();
    act(() => shown[0].click());
    expect(focus).toHaveBeenCalled();
    expect(screen.getByText(`Room page ${DM}`)).toBeInTheDocument();
    focus.mockRestore();
  });
});

describe('NotificationPrompt', () => {
  it('appears once offered, and asks the browser only on "Enable"', async () => {
    const { offer, api, user } = setup({ permission: 'default' });
    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).not.toBeInTheDocument();
    act(() => offer.offer());
    const prompt = screen.getByRole('region', { name: 'Desktop notifications' });
    expect(prompt).toHaveTextContent('Get notified of direct messages and mentions');
    expect(api.requestPermission).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Enable' }));
    expect(api.requestPermission).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).not.toBeInTheDocument();
  });

  it('goes away for good with "Not now"', async () => {
    const { offer, api, user } = setup({ permission: 'default' });
    act(() => offer.offer());
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).not.toBeInTheDocument();
    expect(api.requestPermission).not.toHaveBeenCalled();
    expect(window.localStorage.getItem('parley:notifications:prompt-dismissed')).toBe('true');
  });
});
