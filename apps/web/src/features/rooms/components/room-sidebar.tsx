import { NavLink } from 'react-router';
import type { RoomViewDto } from '@parley/contracts';
import { PresenceDot } from '@/features/presence';
import { UnreadBadge, unreadCount } from '@/features/unread';
import { describeError } from '@/lib/api-error';
import { useRooms } from '../api/get-rooms';
import { CreateRoomForm } from './create-room-form';
import { JoinRoomForm } from './join-room-form';
import { NewDirectMessage } from './new-direct-message';

function linkClass(unread: number, extra = ''): string {
  return `room-links__link${extra}${unread > 0 ? ' room-links__link--unread' : ''}`;
}

function RoomLinks({ rooms, onNavigate }: { rooms: RoomViewDto[]; onNavigate?: () => void }) {
  return (
    <ul className="room-links">
      {rooms.map((room) => {
        const unread = unreadCount(room);
        return (
          <li key={room.id}>
            <NavLink
              to={`/rooms/${room.id}`}
              className={linkClass(unread)}
              onClick={onNavigate}
              // The link's name is the room's name alone; the id is a tooltip for telling twins apart.
              title={`Room ${room.id}`}
            >
              <span className="room-links__name">
                {room.name}
                {room.kind === 'private' && <span className="room-links__badge"> · private</span>}
              </span>
              <UnreadBadge count={unread} />
            </NavLink>
          </li>
        );
      })}
    </ul>
  );
}

/** "You: see you" for my own last message; someone else's stands alone (it is their DM). */
export function previewText(room: RoomViewDto, userId: string): string {
  const last = room.lastMessage;
  if (!last) return 'No messages yet';
  return last.sender.id === userId ? `You: ${last.excerpt}` : last.excerpt;
}

function lastActivity(room: RoomViewDto): string {
  return room.lastMessage?.createdAt ?? room.createdAt;
}

/** Most recent conversation first. */
export function sortDirectRooms(rooms: RoomViewDto[]): RoomViewDto[] {
  return [...rooms].sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)));
}

function DirectLinks({
  rooms,
  userId,
  onNavigate,
}: {
  rooms: RoomViewDto[];
  userId: string;
  onNavigate?: () => void;
}) {
  return (
    <ul className="room-links">
      {sortDirectRooms(rooms).map((room) => {
        const unread = unreadCount(room);
        const name = room.peer?.user.displayName ?? room.name;
        return (
          <li key={room.id}>
            <NavLink
              to={`/rooms/${room.id}`}
              className={linkClass(unread, ' direct-link')}
              onClick={onNavigate}
              title={room.peer ? `@${room.peer.user.username}` : `Room ${room.id}`}
            >
              <span className="direct-link__presence">
                {room.peer && (
                  <PresenceDot
                    userId={room.peer.user.id}
                    name={name}
                    presence={room.peer.presence}
                  />
                )}
              </span>
              <span className="direct-link__text">
                <span className="direct-link__name">{name}</span>
                <span className="direct-link__preview">{previewText(room, userId)}</span>
              </span>
              <UnreadBadge count={unread} />
            </NavLink>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The server's list is the truth: rooms I belong to (it knows my role, so a kick or ban removes
 * them), direct conversations, then the public rooms I have not joined. Each room shows once,
 * with its unread count; a direct conversation shows the other person, their presence and the
 * last message.
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
              <NewDirectMessage userId={userId} onNavigate={onNavigate} />
              {direct.length > 0 ? (
                <DirectLinks rooms={direct} userId={userId} onNavigate={onNavigate} />
              ) : (
                <p className="room-nav__empty">
                  Find a person above, or click a name in a room to message them.
                </p>
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
