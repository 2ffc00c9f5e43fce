import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import type { RoomDto } from '@parley/contracts';
import { JoinRoomForm } from './join-room-form';

const room: RoomDto = {
  id: 'abc123defg',
  name: 'Lobby',
  kind: 'public',
  topic: null,
  createdBy: 'u1',
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

function jsonResponse(status: number, body: unknown): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    text: () => Promise.resolve(JSON.stringify(body)),
  } as Response;
}

describe('JoinRoomForm', () => {
  const fetchMock = jest.fn<Promise<Response>, Parameters<typeof fetch>>();

  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as typeof fetch;
  });

  function setup() {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const onJoined = jest.fn();
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/']}>
          <Routes>
            <Route path="/" element={<JoinRoomForm onJoined={onJoined} />} />
            <Route path="/rooms/:roomId" element={<p>Opened room page</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    return {
      user: userEvent.setup(),
      onJoined,
      input: screen.getByLabelText('Room id or link'),
      join: screen.getByRole('button', { name: 'Join' }),
    };
  }

  it('opens the room from a pasted link once the server confirms it exists', async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, room));
    const { user, input, join, onJoined } = setup();
    await user.type(input, 'https://parley.example/rooms/abc123defg');
    await user.click(join);
    expect(await screen.findByText('Opened room page')).toBeInTheDocument();
    expect(fetchMock.mock.calls[0][0]).toBe('/api/rooms/abc123defg');
    expect(onJoined).toHaveBeenCalled();
  });

  it('refuses text that holds no room id without asking the server', async () => {
    const { user, input, join } = setup();
    await user.type(input, 'not a room');
    await user.click(join);
    expect(input).toHaveAccessibleDescription(
      'Enter a room id (10 letters and digits) or a room link.',
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('says so when no room has that id', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(404, { error: { code: 'room_not_found', message: 'Room not found' } }),
    );
    const { user, input, join } = setup();
    await user.type(input, 'zzzzzzzzzz{Enter}');
    expect(await screen.findByText('No room has that id.')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(join).toBeEnabled();
  });
});
