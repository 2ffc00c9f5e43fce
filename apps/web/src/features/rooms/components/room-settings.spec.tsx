import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type {
  InviteDto,
  RoomBanDto,
  RoomKind,
  RoomMemberDto,
  RoomRole,
  RoomViewDto,
} from '@parley/contracts';
import { sessionStore } from '@/lib/session-store';
import { RoomSettings } from './room-settings';

const ROOM_ID = 'abc123defg';
const ME = '665f1c2b1e8a474d7e9a650c';
const EVE = '665f1c2b1e8a474d7e9a650e';

const room = (kind: RoomKind, role: RoomRole): RoomViewDto => ({
  id: ROOM_ID,
  name: 'Book club',
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
});

const me: RoomMemberDto = {
  user: { id: ME, username: 'ann', displayName: 'Ann' },
  role: 'owner',
  joinedAt: '2026-01-01T00:00:00.000Z',
  presence: { status: 'online', lastSeenAt: null },
  readSeq: null,
};

const eveBan: RoomBanDto = {
  user: { id: EVE, username: 'eve', displayName: 'Eve' },
  bannedBy: ME,
  createdAt: '2026-01-02T00:00:00.000Z',
};

const invite = (expiresAt: string | null): InviteDto => ({
  code: '0123456789abcdef',
  room: ROOM_ID,
  createdBy: ME,
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt,
});

function jsonResponse(status: number, body?: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(body === undefined ? '' : JSON.stringify(body)),
  } as Response;
}

type Route = (method: string, body: unknown) => Response;

function urlOf(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** A fake server: `METHOD /api/path` → response; anything unrouted fails the test loudly. */
const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();
let routes: Record<string, Route> = {};

function requests(): { method: string; url: string; body: unknown }[] {
  return fetchMock.mock.calls.map(([url, init]) => ({
    method: init?.method ?? 'GET',
    url: urlOf(url),
    body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
  }));
}

beforeEach(() => {
  routes = {};
  fetchMock.mockReset();
  fetchMock.mockImplementation((url, init) => {
    const method = init?.method ?? 'GET';
    const route = routes[`${method} ${urlOf(url)}`];
    if (!route) return Promise.reject(new Error(`unexpected ${method} ${urlOf(url)}`));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    return Promise.resolve(route(method, body));
  });
  global.fetch = fetchMock as typeof fetch;
  sessionStore.set({
    accessToken: 'token-1',
    accessTokenExpiresAt: '2099-01-01T00:00:00.000Z',
    user: {
      id: ME,
      username: 'ann',
      displayName: 'Ann',
      registered: true,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
});

afterEach(() => {
  sessionStore.clear();
});

function renderSettings(view: RoomViewDto) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  render(
    <QueryClientProvider client={client}>
      <RoomSettings room={view} userId={ME} />
    </QueryClientProvider>,
  );
  return userEvent.setup();
}

describe('RoomSettings: bans', () => {
  it('lists the bans and lifts one with Unban, then shows the refreshed list', async () => {
    let bans = [eveBan];
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, [me]);
    routes[`GET /api/rooms/${ROOM_ID}/bans`] = () => jsonResponse(200, bans);
    routes[`DELETE /api/rooms/${ROOM_ID}/bans/${EVE}`] = () => {
      bans = [];
      return jsonResponse(204);
    };
    const user = renderSettings(room('public', 'owner'));

    const section = await screen.findByRole('region', { name: 'Bans' });
    const row = await within(section).findByRole('listitem', { name: 'Eve' });
    expect(row).toHaveTextContent('@eve');
    await user.click(within(row).getByRole('button', { name: 'Unban' }));

    expect(await within(section).findByText('Nobody is banned.')).toBeInTheDocument();
    expect(within(section).queryByRole('listitem')).not.toBeInTheDocument();
    expect(requests().filter((request) => request.method === 'DELETE')).toEqual([
      { method: 'DELETE', url: `/api/rooms/${ROOM_ID}/bans/${EVE}`, body: undefined },
    ]);
  });

  it('shows why an unban failed and keeps the list in sync with the server', async () => {
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, [me]);
    routes[`GET /api/rooms/${ROOM_ID}/bans`] = () => jsonResponse(200, [eveBan]);
    routes[`DELETE /api/rooms/${ROOM_ID}/bans/${EVE}`] = () =>
      jsonResponse(403, { error: { code: 'forbidden', message: 'Only owners and moderators' } });
    const user = renderSettings(room('private', 'moderator'));

    const section = await screen.findByRole('region', { name: 'Bans' });
    const row = await within(section).findByRole('listitem', { name: 'Eve' });
    await user.click(within(row).getByRole('button', { name: 'Unban' }));

    expect(await within(section).findByRole('alert')).toBeInTheDocument();
    expect(within(section).getByRole('listitem', { name: 'Eve' })).toBeInTheDocument();
  });

  it('is not shown, nor fetched, for a plain member', async () => {
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, [me]);
    renderSettings(room('public', 'member'));
    expect(await screen.findByRole('listitem', { name: 'Ann' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Bans' })).not.toBeInTheDocument();
    expect(requests().map((request) => request.url)).not.toContain(`/api/rooms/${ROOM_ID}/bans`);
  });
});

describe('RoomSettings: members', () => {
  it('shows whether each member is online', async () => {
    const ben: RoomMemberDto = {
      user: { id: EVE, username: 'ben', displayName: 'Ben' },
      role: 'member',
      joinedAt: '2026-01-01T00:00:00.000Z',
      presence: { status: 'offline', lastSeenAt: '2026-03-01T10:00:00.000Z' },
      readSeq: null,
    };
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, [me, ben]);
    renderSettings(room('public', 'member'));
    const row = await screen.findByRole('listitem', { name: 'Ben' });
    expect(within(row).getByRole('img', { name: 'Ben is offline' })).toBeInTheDocument();
    expect(
      within(screen.getByRole('listitem', { name: 'Ann' })).getByRole('img', {
        name: 'Ann is online',
      }),
    ).toBeInTheDocument();
  });
});

describe('RoomSettings: invite expiry', () => {
  function setup() {
    const created: unknown[] = [];
    routes[`GET /api/rooms/${ROOM_ID}/members`] = () => jsonResponse(200, [me]);
    routes[`GET /api/rooms/${ROOM_ID}/bans`] = () => jsonResponse(200, []);
    routes[`GET /api/rooms/${ROOM_ID}/invites`] = () => jsonResponse(200, []);
    routes[`POST /api/rooms/${ROOM_ID}/invites`] = (_method, body) => {
      created.push(body);
      return jsonResponse(201, invite(null));
    };
    const user = renderSettings(room('private', 'owner'));
    const section = screen.getByRole('region', { name: 'Invites' });
    return {
      user,
      created,
      expiry: within(section).getByLabelText('Invite expires'),
      create: within(section).getByRole('button', { name: 'Create invite link' }),
    };
  }

  it('offers never, 1 hour, 1 day and 7 days, defaulting to never (no expiresInSeconds)', async () => {
    const { user, created, expiry, create } = setup();
    expect(
      within(expiry)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Never', '1 hour', '1 day', '7 days']);
    expect(expiry).toHaveDisplayValue('Never');
    await user.click(create);
    await waitFor(() => expect(created).toEqual([{}]));
  });

  it.each([
    ['1 hour', 3600],
    ['1 day', 86_400],
    ['7 days', 604_800],
  ])('sends expiresInSeconds for %s', async (label, seconds) => {
    const { user, created, expiry, create } = setup();
    await user.selectOptions(expiry, label);
    await user.click(create);
    await waitFor(() => expect(created).toEqual([{ expiresInSeconds: seconds }]));
  });
});
