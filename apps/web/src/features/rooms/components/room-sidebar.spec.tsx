import { render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { RoomDto } from '@parley/contracts';
import { roomsQueryKey } from '../api/get-rooms';
import { rememberRoom } from '../hooks/use-my-rooms';
import { RoomSidebar } from './room-sidebar';

const room = (id: string, name: string): RoomDto => ({
  id,
  name,
  createdBy: 'u1',
  lastSeq: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('RoomSidebar', () => {
  it('lists my rooms, then the public rooms I have not joined, each once', () => {
    const userId = `user-${Date.now()}`;
    rememberRoom(userId, room('aaaaaaaaaa', 'Lobby'));
    const client = new QueryClient();
    client.setQueryData(roomsQueryKey, [room('bbbbbbbbbb', 'Random'), room('aaaaaaaaaa', 'Lobby')]);

    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/rooms/aaaaaaaaaa']}>
          <RoomSidebar userId={userId} />
        </MemoryRouter>
      </QueryClientProvider>,
    );

    const nav = screen.getByRole('navigation', { name: 'Rooms' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual(['Lobby', 'Random']);
    expect(within(nav).getByRole('link', { name: 'Lobby' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(within(nav).getByRole('link', { name: 'Random' })).toHaveAttribute(
      'href',
      '/rooms/bbbbbbbbbb',
    );
    expect(screen.getByLabelText('New room name')).toBeInTheDocument();
    expect(screen.getByLabelText('Room id or link')).toBeInTheDocument();
  });
});
