import { useState } from 'react';
import type { MessageDto } from '@parley/contracts';
import { usePersistentStore } from '@/lib/persistent-store';
import { usePins } from '../api/get-pins';
import { useMessageRoom } from '../hooks/message-room-context';
import { dismissedPinsStore, pinKey, pinsDismissed } from '../lib/dismissed-pins';

function excerpt(pin: MessageDto): string {
  const text = pin.content.replace(/\s+/g, ' ').trim();
  if (text) return text.length > 120 ? `${text.slice(0, 119)}…` : text;
  return pin.attachments.length > 0 ? 'Attachment' : '';
}

/**
 * A compact bar at the top of the room: its newest pin and how many there are; the list opens
 * on click. Dismissing hides it for this user and room until a pin is added.
 */
export function PinnedBar({ roomId, userId }: { roomId: string; userId: string }) {
  const room = useMessageRoom();
  const pins = usePins(roomId).data ?? [];
  const store = dismissedPinsStore(userId, roomId);
  const dismissed = usePersistentStore(store);
  const [open, setOpen] = useState(false);

  if (pins.length === 0 || pinsDismissed(pins, dismissed)) return null;
  const [latest] = pins;
  const jump = (pin: MessageDto) => {
    setOpen(false);
    void room?.jumpTo(pin.seq);
  };

  return (
    <section className="pinned-bar" aria-label="Pinned messages">
      <button
        type="button"
        className="pinned-bar__summary"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        <span aria-hidden="true">📌</span>{' '}
        <span className="pinned-bar__count">
          {pins.length === 1 ? '1 pinned message' : `${pins.length} pinned messages`}
        </span>
        <span className="pinned-bar__latest">
          <strong>{latest.sender.displayName}:</strong> {excerpt(latest)}
        </span>
      </button>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-label="Dismiss pinned messages"
        onClick={() => store.set(() => pins.map(pinKey))}
      >
        ✕
      </button>
      {open && (
        <ul className="pinned-bar__list">
          {pins.map((pin) => (
            <li key={pin.id} className="pinned-bar__item">
              <button type="button" className="button button--link" onClick={() => jump(pin)}>
                <strong>{pin.sender.displayName}:</strong> {excerpt(pin)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
