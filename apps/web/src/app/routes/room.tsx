import { useEffect, useId } from 'react';
import { Link, useParams } from 'react-router';
import { ROOM_ID_PATTERN } from '@parley/contracts';
import { ChatPane } from '@/features/messages';
import { RoomHeader, useLeaveRoom, useRoom, useRoomJoin } from '@/features/rooms';
import { describeError, isApiRequestError } from '@/lib/api-error';
import { useSession } from '@/lib/session-store';

function RoomNotFound() {
  return (
    <div className="empty-state">
      <h2>Room not found</h2>
      <p>Check the id or link, or pick a room from the list.</p>
      <p>
        <Link to="/">Back to Parley</Link>
      </p>
    </div>
  );
}

function Room({ roomId, user }: { roomId: string; user: { id: string; displayName: string } }) {
  const headingId = useId();
  const room = useRoom(roomId);
  const join = useRoomJoin(roomId, user.id);
  const leaveRoom = useLeaveRoom(user.id);
  const joinError = join.state.status === 'error' ? join.state.error : undefined;

  const notFound =
    (isApiRequestError(room.error) && room.error.code === 'room_not_found') ||
    (isApiRequestError(joinError) && joinError.code === 'room_not_found');
  const details = join.state.status === 'joined' ? join.state.room : room.data;
  const title = details?.name;
  useEffect(() => {
    if (!title) return;
    document.title = `${title} · Parley`;
    return () => {
      document.title = 'Parley';
    };
  }, [title]);

  if (notFound) return <RoomNotFound />;
  return (
    <section className="room" aria-labelledby={headingId}>
      {details ? (
        <RoomHeader room={details} headingId={headingId} onLeave={() => void leaveRoom(roomId)} />
      ) : (
        <header className="room-header">
          <h2 id={headingId}>Loading room…</h2>
        </header>
      )}
      {joinError !== undefined && (
        <p className="room__join-error" role="alert">
          Could not join the room: {describeError(joinError)}{' '}
          <button type="button" className="button button--link" onClick={join.retry}>
            Try again
          </button>
        </p>
      )}
      <ChatPane roomId={roomId} own={user} canSend={joinError === undefined} />
    </section>
  );
}

export function RoomRoute() {
  const { roomId = '' } = useParams();
  const session = useSession();
  if (!session) return null;
  if (!ROOM_ID_PATTERN.test(roomId)) return <RoomNotFound />;
  // Keyed so nothing (scroll position, draft, join state) leaks from one room into the next.
  return <Room key={roomId} roomId={roomId} user={session.user} />;
}
