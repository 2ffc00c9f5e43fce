import { useState } from 'react';
import { EmojiPickerPopover, QUICK_REACTIONS } from './emoji-picker';

export interface MessageActionHandlers {
  onReply?: () => void;
  /** Adds one of my reactions. */
  onReact?: (emoji: string) => void;
  onEdit?: () => void;
  onDelete?: () => void;
  /** Present when pinning is mine to do; `pinned` says which way it goes. */
  onPin?: () => void;
  pinned: boolean;
}

/**
 * A message's toolbar: shown on hover and whenever focus is inside the message (so it is
 * keyboard reachable), and after a long-press on touch screens. Only the actions the caller
 * passes appear.
 */
export function MessageActions({
  onReply,
  onReact,
  onEdit,
  onDelete,
  onPin,
  pinned,
}: MessageActionHandlers) {
  const [reacting, setReacting] = useState<'quick' | 'picker' | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  if (!onReply && !onReact && !onEdit && !onDelete && !onPin) return null;

  if (confirmingDelete && onDelete) {
    return (
      <div className="message-actions message-actions--confirm" role="group" aria-label="Delete">
        <span>Delete this message?</span>
        <button
          type="button"
          className="button button--danger button--small"
          onClick={() => {
            setConfirmingDelete(false);
            onDelete();
          }}
        >
          Delete
        </button>
        <button
          type="button"
          className="button button--small"
          // Escape is handled by the toolbar below; the focus comes here first.
          autoFocus
          onClick={() => setConfirmingDelete(false)}
        >
          Cancel
        </button>
      </div>
    );
  }

  const react = (emoji: string) => {
    setReacting(null);
    onReact?.(emoji);
  };

  return (
    <div
      className={`message-actions${reacting ? ' message-actions--open' : ''}`}
      role="toolbar"
      aria-label="Message actions"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && reacting === 'quick') {
          event.stopPropagation();
          setReacting(null);
        }
      }}
    >
      {onReact && (
        <button
          type="button"
          className="message-actions__button"
          aria-expanded={reacting !== null}
          onClick={() => setReacting((open) => (open ? null : 'quick'))}
        >
          React
        </button>
      )}
      {onReply && (
        <button type="button" className="message-actions__button" onClick={onReply}>
          Reply
        </button>
      )}
      {onEdit && (
        <button type="button" className="message-actions__button" onClick={onEdit}>
          Edit
        </button>
      )}
      {onPin && (
        <button type="button" className="message-actions__button" onClick={onPin}>
          {pinned ? 'Unpin' : 'Pin'}
        </button>
      )}
      {onDelete && (
        <button
          type="button"
          className="message-actions__button"
          onClick={() => setConfirmingDelete(true)}
        >
          Delete
        </button>
      )}
      {reacting === 'quick' && (
        <div className="quick-reactions" role="group" aria-label="Quick reactions">
          {QUICK_REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="quick-reactions__emoji"
              aria-label={`React with ${emoji}`}
              onClick={() => react(emoji)}
            >
              {emoji}
            </button>
          ))}
          <button
            type="button"
            className="quick-reactions__more"
            aria-label="More emoji"
            onClick={() => setReacting('picker')}
          >
            …
          </button>
        </div>
      )}
      {reacting === 'picker' && (
        <EmojiPickerPopover
          label="Pick a reaction"
          onPick={react}
          onClose={() => setReacting(null)}
        />
      )}
    </div>
  );
}
