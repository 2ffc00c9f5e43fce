import { NavLink } from 'react-router';
import { describeError } from '@/lib/api-error';
import { useRooms } from '../api/get-rooms';
import { useMyRooms, type RememberedRoom } from '../hooks/use-my-rooms';
import { CreateRoomForm } from './create-room-form';
import { JoinRoomForm } from './join-room-form';

function RoomLinks({ rooms, onNavigate }: { rooms: RememberedRoom[]; onNavigate?: () => void }) {
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
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export function RoomSidebar({ userId, onNavigate }: { userId: string; onNavigate?: () => void }) {
  const { rooms: myRooms } = useMyRooms(userId);
  const publicRooms = useRooms();
  const mine = new Set(myRooms.map((room) => room.id));
  // A room shows once: listing it in both sections would give two links with the same name.
  const others = (publicRooms.data ?? []).filter((room) => !mine.has(room.id));

  return (
    <div className="room-sidebar">
      <CreateRoomForm userId={userId} onCreated={onNavigate} />
      <JoinRoomForm onJoined={onNavigate} />
      <nav aria-label="Rooms" className="room-nav">
        <section aria-labelledby="my-rooms-heading">
          <h2 id="my-rooms-heading" className="room-nav__heading">
            My rooms
          </h2>
          {myRooms.length > 0 ? (
            <RoomLinks rooms={myRooms} onNavigate={onNavigate} />
          ) : (
            <p className="room-nav__empty">Rooms you create or join appear here.</p>
          )}
        </section>
        <section aria-labelledby="public-rooms-heading">
          <h2 id="public-rooms-heading" className="room-nav__heading">
            Public rooms
          </h2>
          {publicRooms.isPending ? (
            <p className="room-nav__empty">Loading rooms…</p>
          ) : publicRooms.isError ? (
            <p className="room-nav__empty">
              Could not load rooms. {describeError(publicRooms.error)}{' '}
              <button
                type="button"
                className="button button--link"
                onClick={() => void publicRooms.refetch()}
              >
                Try again
              </button>
            </p>
          ) : others.length > 0 ? (
            <RoomLinks rooms={others} onNavigate={onNavigate} />
          ) : (
            <p className="room-nav__empty">No other rooms yet.</p>
          )}
        </section>
      </nav>
    </div>
  );
}
