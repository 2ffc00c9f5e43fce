import { useCallback, useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { ROOM_ID_PATTERN, type ReadStateDto } from '@parley/contracts';
import { ChatPane } from '@/features/messages';
import {
  RoomHeader,
  RoomSettings,
  recordReadState,
  useLeaveRoom,
  useMembers,
  useOpenDirectRoom,
  useRoom,
  useRoomJoin,
} from '@/features/rooms';
import { usePageTitle } from '@/features/unread';
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

function RoomClosed({ banned }: { banned: boolean }) {
  return (
    <div className="empty-state" role="alert">
      <h2>{banned ? 'You are banned from this room' : 'This room is private'}</h2>
      <p>
        {banned
          ? 'A moderator can lift the ban.'
          : 'Only members can see it. Ask a moderator for an invite link.'}
      </p>
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
  const openDirect = useOpenDirectRoom();
  const navigate = useNavigate();
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const joinError = join.state.status === 'error' ? join.state.error : undefined;

  const notFound =
    (isApiRequestError(room.error) && room.error.code === 'room_not_found') ||
    (isApiRequestError(joinError) && joinError.code === 'room_not_found');
  // The cached room follows room_updated and role changes; the join result fills in until it loads.
  const details = room.data ?? (join.state.status === 'joined' ? join.state.room : undefined);
  // A direct room is named after the other person, as in the room list.
  usePageTitle(details?.peer?.user.displayName ?? details?.name);
  // Members with their read cursors, for "Seen" (and kept live by read receipts).
  const members = useMembers(roomId, Boolean(details?.role));
  const queryClient = useQueryClient();
  const onReadState = useCallback(
    (state: ReadStateDto) => recordReadState(queryClient, state),
    [queryClient],
  );

  if (notFound) return <RoomNotFound />;
  const refusal = [room.error, joinError].find(
    (error) =>
      isApiRequestError(error) && (error.code === 'not_a_member' || error.code === 'banned'),
  );
  if (refusal !== undefined)
    return <RoomClosed banned={isApiRequestError(refusal) && refusal.code === 'banned'} />;
  return (
    <section className="room" aria-labelledby={headingId}>
      {details ? (
        <RoomHeader
          room={details}
          headingId={headingId}
          settingsOpen={settingsOpen}
          onToggleSettings={() => setSettingsOpen((open) => !open)}
          onLeave={() => {
            setActionError(undefined);
            leaveRoom(roomId).catch(setActionError);
          }}
        />
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
      {actionError !== undefined && (
        <p className="room__join-error" role="alert">
          {describeError(actionError)}
        </p>
      )}
      {settingsOpen && room.data && <RoomSettings room={room.data} userId={user.id} />}
      <ChatPane
        roomId={roomId}
        own={user}
        room={details}
        members={members.data}
        onReadState={onReadState}
        canSend={joinError === undefined}
        onMessageUser={(username) =>
          openDirect.mutate(username, {
            onSuccess: (direct) => void navigate(`/rooms/${direct.id}`),
            onError: setActionError,
          })
        }
      />
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
