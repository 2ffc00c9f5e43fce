import type { RoomViewDto } from '@parley/contracts';
import { CopyButton } from '@/components/ui/copy-button';
import { roomLink } from '../lib/parse-room-input';

export function RoomHeader({
  room,
  headingId,
  onLeave,
  settingsOpen,
  onToggleSettings,
}: {
  room: Pick<RoomViewDto, 'id' | 'name'> & Partial<Pick<RoomViewDto, 'kind' | 'topic' | 'role'>>;
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
        <p className="room-header__id">
          {room.kind === 'private' ? 'Private room' : isDirect ? 'Direct messages' : 'Room'} id{' '}
          <code>{room.id}</code>
          {room.role && room.role !== 'member' && <> · you are {room.role}</>}
        </p>
      </div>
      <div className="room-header__actions">
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
