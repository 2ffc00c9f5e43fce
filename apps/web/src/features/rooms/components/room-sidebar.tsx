import { NavLink } from 'react-router';
import type { RoomViewDto } from '@parley/contracts';
import { describeError } from '@/lib/api-error';
import { useRooms } from '../api/get-rooms';
import { CreateRoomForm } from './create-room-form';
import { JoinRoomForm } from './join-room-form';

function RoomLinks({ rooms, onNavigate }: { rooms: RoomViewDto[]; onNavigate?: () => void }) {
  return (
    <ul className="room-links">
      {rooms.map((room) => (
        <li key={room.id}>
          <NavLink
            to={`/rooms/${room.id}`}
            className="room-links__link"
            onClick={onNavigate}
            // The link's name is the room's name alone; the id is a tooltip for telling twins apart.
            title={`Room ${room.id}`}
          >
            {room.name}
            {room.kind === 'private' && <span className="room-links__badge"> · private</span>}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

/**
 * The server's list is the truth: rooms I belong to (it knows my role, so a kick or ban removes
 * them), direct conversations, then the public rooms I have not joined. Each room shows once.
 */
export function RoomSidebar({ userId, onNavigate }: { userId: string; onNavigate?: () => void }) {
  const rooms = useRooms();
  const all = rooms.data ?? [];
  const mine = all.filter((room) => room.role !== null && room.kind !== 'direct');
  const direct = all.filter((room) => room.kind === 'direct');
  const others = all.filter((room) => room.role === null && room.kind === 'public');
  return (
    <div className="room-sidebar">
      <CreateRoomForm userId={userId} onCreated={onNavigate} />
      <JoinRoomForm onJoined={onNavigate} />
      <nav aria-label="Rooms" className="room-nav">
        {rooms.isPending ? (
          <p className="room-nav__empty">Loading rooms…</p>
        ) : rooms.isError ? (
          <p className="room-nav__empty">
            Could not load rooms. {describeError(rooms.error)}{' '}
            <button
              type="button"
              className="button button--link"
              onClick={() => void rooms.refetch()}
            >
              Try again
            </button>
          </p>
        ) : (
          <>
            <section aria-labelledby="my-rooms-heading">
              <h2 id="my-rooms-heading" className="room-nav__heading">
                My rooms
              </h2>
              {mine.length > 0 ? (
                <RoomLinks rooms={mine} onNavigate={onNavigate} />
              ) : (
                <p className="room-nav__empty">Rooms you create or join appear here.</p>
              )}
            </section>
            <section aria-labelledby="direct-rooms-heading">
              <h2 id="direct-rooms-heading" className="room-nav__heading">
                Direct messages
              </h2>
              {direct.length > 0 ? (
                <RoomLinks rooms={direct} onNavigate={onNavigate} />
              ) : (
                <p className="room-nav__empty">Click a name in a room to message them.</p>
              )}
            </section>
            <section aria-labelledby="public-rooms-heading">
              <h2 id="public-rooms-heading" className="room-nav__heading">
                Public rooms
              </h2>
              {others.length > 0 ? (
                <RoomLinks rooms={others} onNavigate={onNavigate} />
              ) : (
                <p className="room-nav__empty">No other public rooms yet.</p>
              )}
            </section>
          </>
        )}
      </nav>
    </div>
  );
}
