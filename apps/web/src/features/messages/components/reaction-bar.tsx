import { useRef, useState } from 'react';
import type { ReactionDto } from '@parley/contracts';

/** How long a press lasts before it counts as a long-press (who reacted, on touch screens). */
export const LONG_PRESS_MS = 500;

/** "Ann, Ben and 2 others" — names from the members list; people who left count as others. */
export function reactorNames(
  reaction: ReactionDto,
  nameOf: (userId: string) => string | undefined,
  myId: string | undefined,
): string {
  const names = reaction.userIds.map((id) => (id === myId ? 'You' : nameOf(id)));
  const known = names.filter((name): name is string => name !== undefined);
  const others = reaction.count - known.length;
  if (others <= 0) return known.join(', ');
  const rest = `${others} ${others === 1 ? 'other' : 'others'}`;
  return known.length > 0 ? `${known.join(', ')} and ${rest}` : rest;
}

/**
 * Timers for a long-press: `onLongPress` fires after LONG_PRESS_MS unless the finger lifts or
 * moves first; the click that follows a long-press is swallowed.
 */
export function useLongPress(onLongPress: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const fired = useRef(false);
  const cancel = () => clearTimeout(timer.current);
  return {
    handlers: {
      onTouchStart: () => {
        fired.current = false;
        cancel();
        timer.current = setTimeout(() => {
          fired.current = true;
          onLongPress();
        }, LONG_PRESS_MS);
      },
      onTouchEnd: cancel,
      onTouchMove: cancel,
      onTouchCancel: cancel,
    },
    /** True (once) when the click is the end of a long-press. */
    consumeLongPress: () => {
      const was = fired.current;
      fired.current = false;
      return was;
    },
  };
}

function ReactionChip({
  reaction,
  mine,
  names,
  disabled,
  onToggle,
}: {
  reaction: ReactionDto;
  mine: boolean;
  names: string;
  disabled: boolean;
  onToggle: () => void;
}) {
  const [showNames, setShowNames] = useState(false);
  const { consumeLongPress, handlers } = useLongPress(() => setShowNames(true));
  return (
    <span className="reaction">
      <button
        type="button"
        className={`reaction__chip${mine ? ' reaction__chip--mine' : ''}`}
        aria-pressed={mine}
        aria-label={`${reaction.emoji} ${reaction.count}: ${names}`}
        title={names}
        disabled={disabled}
        {...handlers}
        onClick={() => {
          if (!consumeLongPress()) onToggle();
        }}
        onBlur={() => setShowNames(false)}
      >
        <span aria-hidden="true">{reaction.emoji}</span>{' '}
        <span className="reaction__count" aria-hidden="true">
          {reaction.count}
        </span>
      </button>
      {showNames && (
        <span role="tooltip" className="reaction__names">
          {names}
        </span>
      )}
    </span>
  );
}

/** A message's reactions: click to add or take back mine; hover or long-press for who. */
export function ReactionBar({
  reactions,
  myId,
  nameOf,
  canReact,
  onToggle,
}: {
  reactions: readonly ReactionDto[];
  myId: string | undefined;
  nameOf: (userId: string) => string | undefined;
  canReact: boolean;
  onToggle: (emoji: string, add: boolean) => void;
}) {
  if (reactions.length === 0) return null;
  return (
    <div className="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => {
        const mine = myId !== undefined && reaction.userIds.includes(myId);
        return (
          <ReactionChip
            key={reaction.emoji}
            reaction={reaction}
            mine={mine}
            names={reactorNames(reaction, nameOf, myId)}
            disabled={!canReact}
            onToggle={() => onToggle(reaction.emoji, !mine)}
          />
        );
      })}
    </div>
  );
}
