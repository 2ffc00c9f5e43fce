import { useCallback, useRef, useState } from 'react';
import { useMatch, useNavigate } from 'react-router';
import type { MessageDto } from '@parley/contracts';
import { useRooms } from '@/features/rooms';
import { useSearchShortcut } from '../hooks/use-search-shortcut';
import { jumpLocationState } from '../lib/jump-state';
import { SearchPanel } from './search-panel';

function isMac(): boolean {
  return typeof navigator !== 'undefined' && /mac|iphone|ipad/i.test(navigator.platform);
}

/**
 * The search button (with its shortcut) and the panel it opens. Opening a result goes to its
 * room, which loads the history around the message and highlights it.
 */
export function MessageSearch() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();
  const roomMatch = useMatch('/rooms/:roomId');
  const currentRoomId = roomMatch?.params.roomId;
  const rooms = useRooms();

  const show = useCallback(() => setOpen(true), []);
  useSearchShortcut(show);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  const openResult = (message: MessageDto) => {
    setOpen(false);
    void navigate(`/rooms/${message.room}`, {
      state: jumpLocationState(message.room, message.seq),
    });
  };

  return (
    <div className="message-search">
      <button
        ref={buttonRef}
        type="button"
        className="button button--ghost button--small message-search__button"
        aria-expanded={open}
        aria-keyshortcuts="Control+K Meta+K /"
        onClick={() => setOpen((value) => !value)}
      >
        Search{' '}
        <kbd className="message-search__shortcut" aria-hidden="true">
          {isMac() ? '⌘K' : 'Ctrl K'}
        </kbd>
      </button>
      {open && (
        <SearchPanel
          // Scope and text start afresh with each room.
          key={currentRoomId ?? 'all'}
          currentRoomId={currentRoomId}
          rooms={rooms.data}
          onOpenResult={openResult}
          onClose={close}
        />
      )}
    </div>
  );
}
