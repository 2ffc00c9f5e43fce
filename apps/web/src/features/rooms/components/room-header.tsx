import type { RoomDto } from '@parley/contracts';
import { CopyButton } from '@/components/ui/copy-button';
import { roomLink } from '../lib/parse-room-input';

export function RoomHeader({
  room,
  headingId,
  onLeave,
}: {
  room: Pick<RoomDto, 'id' | 'name'>;
  headingId?: string;
  onLeave?: () => void;
}) {
  return (
    <header className="room-header">
      <div className="room-header__title">
        <h2 id={headingId}>{room.name}</h2>
        <p className="room-header__id">
          Room id <code>{room.id}</code>
        </p>
      </div>
      <div className="room-header__actions">
        <CopyButton text={roomLink(room.id)} label="Copy link" />
        <CopyButton text={room.id} label="Copy id" />
        {onLeave && (
          <button type="button" className="button button--ghost button--small" onClick={onLeave}>
            Leave room
          </button>
        )}
      </div>
    </header>
  );
}
