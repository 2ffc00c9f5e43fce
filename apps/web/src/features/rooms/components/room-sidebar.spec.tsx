import { render, screen, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { RoomKind, RoomRole, RoomViewDto } from '@parley/contracts';
import { roomsQueryKey } from '../api/get-rooms';
import { RoomSidebar } from './room-sidebar';

const room = (id: string, name: string, kind: RoomKind, role: RoomRole | null): RoomViewDto => ({
  id,
  name,
  kind,
  topic: null,
  role,
  createdBy: 'u1',
  lastSeq: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('RoomSidebar', () => {
  it('lists my rooms, direct messages, then public rooms I am not in, each once', () => {
    const client = new QueryClient();
    client.setQueryData(roomsQueryKey, [
      room('bbbbbbbbbb', 'Random', 'public', null),
      room('aaaaaaaaaa', 'Lobby', 'public', 'member'),
      room('cccccccccc', 'Secret', 'private', 'owner'),
      room('dddddddddd', 'Ann & Bob', 'direct', 'member'),
    ]);
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={['/rooms/aaaaaaaaaa']}>
          <RoomSidebar userId="u1" />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const nav = screen.getByRole('navigation', { name: 'Rooms' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual([
      'Lobby',
      'Secret · private',
      'Ann & Bob',
      'Random',
    ]);
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
});
