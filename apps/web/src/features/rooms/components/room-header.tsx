import { useId } from 'react';
import {
  NOTIFY_LEVELS,
  type DirectPeerDto,
  type NotifyLevel,
  type RoomViewDto,
} from '@parley/contracts';
import { CopyButton } from '@/components/ui/copy-button';
import { PresenceDot, peerStatusText, useOnlineCount, usePresence } from '@/features/presence';
import { useNow } from '@/hooks/use-now';
import { describeError } from '@/lib/api-error';
import { useMembers } from '../api/members';
import { useUpdateNotifyLevel } from '../api/notify-level';
import { roomLink } from '../lib/parse-room-input';

const NOTIFY_LEVEL_LABELS: Record<NotifyLevel, string> = {
  all: 'All messages',
  mentions: 'Mentions only',
  muted: 'Muted',
};

function isNotifyLevel(value: string): value is NotifyLevel {
  return (NOTIFY_LEVELS as readonly string[]).includes(value);
}

/** A direct conversation: the other person's state, "Active now" or "Last seen …". */
function PeerStatus({ peer }: { peer: DirectPeerDto }) {
  const presence = usePresence(peer.user.id, peer.presence) ?? peer.presence;
  // Half a minute keeps "Last seen 5 minutes ago" right without re-rendering for nothing.
  const now = useNow(30_000);
  return (
    <p className="room-header__presence">
      <PresenceDot userId={peer.user.id} name={peer.user.displayName} presence={peer.presence} />
      <span>{peerStatusText(presence, now)}</span>
    </p>
  );
}

const NO_MEMBERS: never[] = [];

/** "3 online" among the room's members; the members list (room settings) says who. */
function OnlineSummary({ roomId }: { roomId: string }) {
  const members = useMembers(roomId, true);
  const online = useOnlineCount(members.data ?? NO_MEMBERS);
  if (!members.data) return null;
  return (
    <p className="room-header__presence">
      <span className="presence-dot presence-dot--online" aria-hidden="true" />
      <span>{online} online</span>
    </p>
  );
}

/** Which messages raise a desktop notification while Parley is in the background. */
function NotifyLevelSelect({ roomId, level }: { roomId: string; level: NotifyLevel }) {
  const update = useUpdateNotifyLevel(roomId);
  const selectId = useId();
  return (
    <div className="room-header__notify">
      <label htmlFor={selectId}>Notifications</label>{' '}
      <select
        id={selectId}
        className="input input--select"
        value={level}
        onChange={(event) => {
          const next = event.target.value;
          if (isNotifyLevel(next) && next !== level)
            update.mutate({ level: next, previous: level });
        }}
      >
        {NOTIFY_LEVELS.map((option) => (
          <option key={option} value={option}>
            {NOTIFY_LEVEL_LABELS[option]}
          </option>
        ))}
      </select>
      {update.isError && (
        <span role="alert" className="form-error">
          {' '}
          Could not change notifications: {describeError(update.error)}
        </span>
      )}
    </div>
  );
}

export function RoomHeader({
  room,
  headingId,
  onLeave,
  settingsOpen,
  onToggleSettings,
}: {
  room: Pick<RoomViewDto, 'id' | 'name'> &
    Partial<Pick<RoomViewDto, 'kind' | 'topic' | 'role' | 'notify' | 'peer'>>;
  headingId?: string;
  onLeave?: () => void;
  settingsOpen?: boolean;
  onToggleSettings?: () => void;
}) {
  const isDirect = room.kind === 'direct';
  return (
    <header className="room-header">
      <div className="room-header__title">
        <h2 id={headingId}>{room.name}</h2>
        {room.topic && <p className="room-header__topic">{room.topic}</p>}
        {isDirect && room.peer && <PeerStatus peer={room.peer} />}
        <p className="room-header__id">
          {room.kind === 'private' ? 'Private room' : isDirect ? 'Direct messages' : 'Room'} id{' '}
          <code>{room.id}</code>
          {room.role && room.role !== 'member' && <> · you are {room.role}</>}
        </p>
        {!isDirect && room.role && <OnlineSummary roomId={room.id} />}
      </div>
      <div className="room-header__actions">
        {room.role && room.notify && <NotifyLevelSelect roomId={room.id} level={room.notify} />}
        {room.kind !== 'private' && !isDirect && (
          <CopyButton text={roomLink(room.id)} label="Copy link" />
        )}
        <CopyButton text={room.id} label="Copy id" />
        {onToggleSettings && room.role && (
          <button
            type="button"
            className="button button--ghost button--small"
            aria-expanded={settingsOpen ?? false}
            onClick={onToggleSettings}
          >
            Room settings
          </button>
        )}
        {onLeave && room.role && !isDirect && (
          <button type="button" className="button button--ghost button--small" onClick={onLeave}>
            Leave room
          </button>
        )}
      </div>
    </header>
  );
}
